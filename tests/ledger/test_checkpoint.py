"""Tests for C2SP signed checkpoints."""

import base64
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aims.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    Signer,
    Verifier,
    open_checkpoint,
    sign_checkpoint,
)

SIGNER = Signer.generate("aims.example/log")
ROOT = hashlib.sha256(b"root").digest()


def test_sign_and_open_round_trip() -> None:
    cp = Checkpoint(origin="aims.example/log", size=42, root_hash=ROOT, extensions=("ts 1",))
    note = sign_checkpoint(cp, SIGNER)
    lines = note.split("\n")
    assert lines[:4] == [
        "aims.example/log",
        "42",
        base64.b64encode(ROOT).decode(),
        "ts 1",
    ]
    assert lines[5].startswith("\u2014 aims.example/log ")
    opened, names = open_checkpoint(note, [SIGNER.verifier])
    assert opened == cp and names == ["aims.example/log"]


def test_key_text_round_trips() -> None:
    assert Signer.decode(SIGNER.encode()) == SIGNER
    assert Verifier.decode(SIGNER.verifier.encode()) == SIGNER.verifier
    assert SIGNER.verifier.encode().startswith("aims.example/log+")


def test_untrusted_or_missing_signature_is_rejected() -> None:
    note = sign_checkpoint(Checkpoint("o", 1, ROOT), SIGNER)
    other = Signer.generate("other")
    with pytest.raises(CheckpointError, match="no signature by a trusted key"):
        open_checkpoint(note, [other.verifier])


@settings(max_examples=60)
@given(st.data())
def test_any_single_byte_change_is_detected(data: st.DataObject) -> None:
    note = sign_checkpoint(Checkpoint("aims.example/log", 1000, ROOT), SIGNER).encode()
    i = data.draw(st.integers(0, len(note) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != note[i]))
    changed = note[:i] + bytes([new]) + note[i + 1 :]
    try:
        text = changed.decode()
    except UnicodeDecodeError:
        return  # not even text: rejected before parsing
    with pytest.raises(CheckpointError):
        open_checkpoint(text, [SIGNER.verifier])
