"""Accuracy tests: the fixture repositories are data to scan, never tests to collect."""

import pytest

# NOTE: files under repos/ are scanned by the accuracy harness; some look like tests.
collect_ignore_glob = ["repos/*"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "accuracy: scans the labelled corpus (run alone with -m accuracy)"
    )
