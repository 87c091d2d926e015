"""Fixtures: a starter project in a folder with a fixed name, at a fixed date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aims.records.starter import write_starter

TODAY = date(2026, 11, 29)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """`shop/` with the starter records."""
    root = tmp_path / "shop"
    root.mkdir()
    write_starter(root, TODAY)
    return root
