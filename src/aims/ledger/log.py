"""The transparency log: a store plus a signing key, issuing signed checkpoints per batch."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aims.errors import ConfigError
from aims.ledger.checkpoint import Checkpoint, Signer, Verifier, sign_checkpoint
from aims.ledger.keys import public_path, read_signer, read_verifiers
from aims.ledger.store import LogStore

DEFAULT_ORIGIN = "aims.local/decision-log"


class TransparencyLog:
    """Appends records and signs checkpoints over them.

    A checkpoint is issued by `checkpoint()`, which callers run per batch or interval (the
    `Oversight` SDK does it every `checkpoint_every` entries and on `close()`), never per record.
    """

    def __init__(self, store: LogStore, signer: Signer | None, *, origin: str | None = None):
        self.store = store
        self.signer = signer
        stored_origin = store.get_meta("origin")
        self.origin = origin or stored_origin or DEFAULT_ORIGIN
        if stored_origin is None:
            store.set_meta("origin", self.origin)
        elif origin and origin != stored_origin:
            raise ConfigError(f"this log's origin is {stored_origin!r}, not {origin!r}")
        if signer is not None:
            known = (store.get_meta("verifiers") or "").split()
            if signer.verifier.encode() not in known:
                store.set_meta("verifiers", "\n".join([*known, signer.verifier.encode()]))

    @classmethod
    def open(
        cls, url: str, *, key_path: Path | None = None, origin: str | None = None
    ) -> TransparencyLog:
        """Open the log at a database URL with the signing key at `key_path` (if any)."""
        signer = read_signer(key_path) if key_path else None
        return cls(LogStore.open(url), signer, origin=origin)

    def append(self, records: Sequence[tuple[str, str, dict[str, Any]]]) -> list[int]:
        """Append `(kind, system, data)` records durably; return their indexes."""
        return self.store.append(records)

    def checkpoint(self) -> str | None:
        """Sign and store a checkpoint for the current size; return the note (None if unsigned).

        Does nothing when the latest checkpoint already covers the current size.
        """
        if self.signer is None:
            return None
        size = self.store.size()
        latest = self.store.latest_checkpoint()
        if latest is not None and latest.size == size:
            return latest.note
        root = self.store.root(size)
        note = sign_checkpoint(Checkpoint(self.origin, size, root), self.signer)
        self.store.add_checkpoint(size, root, note)
        return note

    def stored_verifiers(self) -> list[Verifier]:
        """Verifier keys recorded in the log itself (convenient, but not a trust anchor)."""
        return [Verifier.decode(v) for v in (self.store.get_meta("verifiers") or "").split()]

    def close(self) -> None:
        """Release database connections."""
        self.store.close()


def trusted_verifiers(
    log: TransparencyLog, *, pub_path: Path | None, key_path: Path | None
) -> tuple[list[Verifier], str]:
    """Return the verifier keys to trust and where they came from.

    Order: an explicit public key file, the `.pub` beside the signing key, and last the keys
    stored in the log itself (reported as such: whoever can rewrite the database can rewrite them).
    """
    if pub_path is not None:
        return read_verifiers(pub_path), str(pub_path)
    if key_path is not None and public_path(key_path).exists():
        return read_verifiers(public_path(key_path)), str(public_path(key_path))
    return log.stored_verifiers(), "keys stored in the log itself (pass --public-key to pin them)"
