"""Fixtures for the writer tests: golden-file comparison and the demo inventories."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(relpath: str, actual: str) -> None:
    """Compare `actual` byte for byte with `tests/golden/<relpath>`.

    With `UPDATE_GOLDEN=1` the file is (re)written instead; review the diff before committing.
    """
    path = GOLDEN / relpath
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.exists(), f"missing golden file {path}; run UPDATE_GOLDEN=1 pytest tests/output"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{relpath} differs from its golden file; run UPDATE_GOLDEN=1"


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """The golden-file checker, as a fixture."""
    return check_golden
