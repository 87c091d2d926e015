"""Fixtures for the secrets tests: a fixed fingerprint key and a key generator."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest

from aims.secrets.formats import KeyFormat, load_key_formats


@pytest.fixture(autouse=True)
def _fingerprint_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    # Never create a key file in the developer's real config directory.
    monkeypatch.setenv("AIMS_FINGERPRINT_KEY", "tests-fingerprint-key")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
    yield


@pytest.fixture
def make_key() -> Callable[[str], str]:
    """Return a function generating a fresh random key of a catalog format ID."""
    rng = random.Random(1234)
    formats = {f.id: f for f in load_key_formats()}

    def make(format_id: str) -> str:
        return formats[format_id].generate_key(rng)

    return make


def key_format(format_id: str) -> KeyFormat:
    """Return a catalog format by ID."""
    return next(f for f in load_key_formats() if f.id == format_id)
