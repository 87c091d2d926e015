"""Shared fixtures: a starter record set written at a fixed date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aims.records.starter import write_starter

TODAY = date(2026, 11, 29)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder with the starter records in `.aims/`."""
    write_starter(tmp_path, TODAY)
    return tmp_path
