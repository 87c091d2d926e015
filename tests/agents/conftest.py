"""Shared helpers for the agent/MCP lint tests: fixture trees with placeholders expanded.

Fixture files never hold invisible characters or key-shaped strings themselves (the repository
dogfoods its own scanner). Placeholders are expanded when a case is copied to a temporary
directory:

- `{{U+200B}}`: that code point;
- `{{TAGS:text}}`: `text` as Unicode tag characters;
- `{{VS:text}}`: `text`'s UTF-8 bytes as variation selectors (VS1-16 = 0-15, VS17-256 = 16-255);
- `{{KEY:format-id}}`: a random, format-valid fake key of that catalog format (never issued);
- `{{REPEAT:n:text}}`: `text` repeated n times.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from aims.agents.corpus import expand

FIXTURES = Path(__file__).parent / "fixtures"


def materialise(case: str | Path, dest: Path) -> Path:
    """Copy a fixture case to `dest` with placeholders expanded; return the copy's root."""
    src = FIXTURES / case if isinstance(case, str) else case
    rng = random.Random(7)
    root = dest / src.name
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        target = root / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.name == "expected.yaml" and path.parent == src:
            continue
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            shutil.copyfile(path, target)
            continue
        target.write_bytes(expand(text, rng).encode("utf-8"))
    (root / ".git").mkdir(exist_ok=True)
    return root


@pytest.fixture
def case_dir(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory: materialise a named fixture case under tmp_path."""

    def make(name: str) -> Path:
        return materialise(name, tmp_path)

    return make
