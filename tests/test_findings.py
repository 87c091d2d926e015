"""Tests for the finding model."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.findings import Confidence, Location, Severity, fingerprint, make_finding


def _finding(path: str, line: int, match: str = "openai"):
    return make_finding(
        rule_id="AIM101",
        rule_name="example",
        message="m",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        primary=Location(path=path, line=line),
        match=match,
    )


def test_severity_order() -> None:
    assert Severity.INFO.rank < Severity.LOW.rank < Severity.MEDIUM.rank
    assert Severity.HIGH.rank < Severity.CRITICAL.rank


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_fingerprint_ignores_line_moves(a: int, b: int) -> None:
    assert _finding("a.py", a).fingerprint == _finding("a.py", b).fingerprint


def test_fingerprint_survives_rename_but_not_content_change() -> None:
    assert _finding("a.py", 1).fingerprint == _finding("b/a.py", 9).fingerprint
    assert _finding("a.py", 1).fingerprint != _finding("a.py", 1, "anthropic").fingerprint
    assert fingerprint("AIM1", "x  y") == fingerprint("AIM1", "x y")


def test_bad_findings_cannot_be_built() -> None:
    with pytest.raises(ValueError):
        _finding("", 1)
