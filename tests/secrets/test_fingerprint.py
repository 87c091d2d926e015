"""Redaction and keyed fingerprints."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.secrets import fingerprint as fp

KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def test_redact_shows_prefix_ellipsis_and_last_four() -> None:
    secret = "sk-ant-api03-" + "Q" * 10 + "k2P9" + "Zt7x"
    assert fp.redact(secret, "sk-ant-api") == "sk-ant-api…Zt7x"
    assert fp.redact("0123456789abcdef0123456789abcdeX", "") == "…cdeX"


def test_redact_hides_everything_of_a_short_body() -> None:
    assert fp.redact("sk-abcdef", "sk-") == "sk-…"


def test_prefix_not_at_start_is_not_shown() -> None:
    assert fp.redact("abcdefghijklmnopqrstuvwx", "sk-") == "…uvwx"


@given(
    prefix=st.sampled_from(["", "sk-", "sk-ant-api", "AIza", "hf_", "pcsk_"]),
    body=st.text(alphabet=KEY_ALPHABET, min_size=16, max_size=160),
)
def test_redaction_never_leaks_more_than_four_body_characters(prefix: str, body: str) -> None:
    shown = fp.describe(prefix + body, prefix)
    # Any 6-character window of the body is absent from what is shown.
    for i in range(len(body) - 5):
        window = body[i : i + 6]
        if window not in fp.keyed_fingerprint(prefix + body):
            assert window not in shown.replace(fp.keyed_fingerprint(prefix + body), "")


def test_fingerprint_is_hmac_under_the_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fp.ENV_KEY, "team-shared-secret")
    expected = hmac.new(b"team-shared-secret", b"value", hashlib.sha256).hexdigest()
    assert fp.keyed_hash("value") == expected
    assert fp.keyed_fingerprint("value") == expected[:12]
    assert fp.keyed_hash("value") != hashlib.sha256(b"value").hexdigest()


def test_installation_key_is_created_once_with_mode_0600(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(fp.ENV_KEY, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    first = fp.keyed_hash("value")
    key_file = tmp_path / "aims" / fp.KEY_FILE_NAME
    assert key_file.is_file()
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(bytes.fromhex(key_file.read_text().strip())) == 32
    fp._secret_for.cache_clear()
    assert fp.keyed_hash("value") == first  # read back from the file, not regenerated


def test_different_installations_give_different_fingerprints(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(fp.ENV_KEY, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "a"))
    a = fp.keyed_hash("value")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "b"))
    assert fp.keyed_hash("value") != a
