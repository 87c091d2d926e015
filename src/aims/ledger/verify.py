"""Verification of the log: the whole store, one entry from a proof, two checkpoints, a bundle.

Every check says *where* it failed (entry index, checkpoint number, field) so an auditor can act.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from aims.ledger.checkpoint import Checkpoint, CheckpointError, Verifier, open_checkpoint
from aims.ledger.store import Entry, LogStore
from aims.ledger.tree import (
    EMPTY_ROOT,
    ProofError,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)


@dataclass(slots=True)
class VerifyReport:
    """What a verification found."""

    size: int = 0
    checkpoints: int = 0
    pruned: int = 0
    uncovered: int = 0
    """Entries appended after the latest signed checkpoint (not yet protected by a signature)."""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


class _Compact:
    """A compact range over leaf hashes: the root of any prefix in O(log n) memory."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, bytes]] = []
        self.size = 0

    def push(self, h: bytes) -> None:
        level, node = 0, h
        while self.stack and self.stack[-1][0] == level:
            _, left = self.stack.pop()
            node = node_hash(left, node)
            level += 1
        self.stack.append((level, node))
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        root = self.stack[-1][1]
        for _, h in reversed(self.stack[:-1]):
            root = node_hash(h, root)
        return root


def _check_entry(entry: Entry, expected_index: int, report: VerifyReport) -> None:
    if entry.payload is None:
        report.pruned += 1
        return
    if leaf_hash(entry.payload) != entry.leaf_hash:
        report.problems.append(
            f"entry {entry.index}: content does not match its leaf hash (modified)"
        )
        return
    try:
        record = json.loads(entry.payload)
    except ValueError:
        report.problems.append(f"entry {entry.index}: payload is not valid JSON")
        return
    if record.get("index") != expected_index:
        report.problems.append(
            f"entry {entry.index}: carries index {record.get('index')} (entries were reordered)"
        )
    for column in ("kind", "system", "ts"):
        if record.get(column) != getattr(entry, column):
            report.problems.append(
                f"entry {entry.index}: column {column!r} differs from the hashed record (modified)"
            )


def _open_notes(
    notes: Sequence[str], verifiers: Sequence[Verifier], origin: str | None, report: VerifyReport
) -> list[tuple[int, Checkpoint]]:
    opened: list[tuple[int, Checkpoint]] = []
    for number, note in enumerate(notes, start=1):
        try:
            cp, _ = open_checkpoint(note, list(verifiers))
        except CheckpointError as exc:
            report.problems.append(f"checkpoint {number}: {exc}")
            continue
        if origin and cp.origin != origin:
            report.problems.append(
                f"checkpoint {number}: origin {cp.origin!r} is not this log's {origin!r}"
            )
        opened.append((number, cp))
    previous = 0
    for number, cp in opened:
        if cp.size < previous:
            report.problems.append(
                f"checkpoint {number}: size {cp.size} is smaller than an earlier checkpoint's "
                f"{previous} (rollback)"
            )
        previous = max(previous, cp.size)
    report.checkpoints = len(opened)
    return opened


def verify_leaves(
    leaves: Iterable[bytes],
    notes: Sequence[str],
    verifiers: Sequence[Verifier],
    *,
    origin: str | None,
    report: VerifyReport,
) -> None:
    """Recompute roots from a stream of leaf hashes and check every signed checkpoint."""
    opened = _open_notes(notes, verifiers, origin, report)
    targets = sorted({cp.size for _, cp in opened})
    roots: dict[int, bytes] = {0: EMPTY_ROOT}
    compact = _Compact()
    pending = list(targets)
    for h in leaves:
        compact.push(h)
        while pending and pending[0] == compact.size:
            roots[pending.pop(0)] = compact.root()
    report.size = compact.size
    for number, cp in opened:
        if cp.size > compact.size:
            report.problems.append(
                f"checkpoint {number}: signed for {cp.size} entries but the log has only "
                f"{compact.size} (entries {compact.size}..{cp.size - 1} were deleted: truncation)"
            )
        elif roots.get(cp.size) != cp.root_hash:
            report.problems.append(
                f"checkpoint {number}: the first {cp.size} entries no longer hash to the signed "
                "root (an entry was modified, deleted or reordered)"
            )
    latest = max((cp.size for _, cp in opened), default=0)
    report.uncovered = max(0, compact.size - latest)


def verify_store(
    store: LogStore, verifiers: Sequence[Verifier], *, check_nodes: bool = True
) -> VerifyReport:
    """Verify the whole log: entries, tree nodes, every checkpoint, and their order."""
    report = VerifyReport()
    origin = store.get_meta("origin")

    def leaves() -> Iterable[bytes]:
        expected = 0
        for entry in store.iter_entries():
            if entry.index != expected:
                report.problems.append(
                    f"entries {expected}..{entry.index - 1} are missing (deleted)"
                )
                expected = entry.index
            _check_entry(entry, expected, report)
            expected += 1
            yield entry.leaf_hash

    leaf_list: list[bytes] = []

    def recording() -> Iterable[bytes]:
        for h in leaves():
            if check_nodes:
                leaf_list.append(h)
            yield h

    stored = store.checkpoints_list()
    notes = [cp.note for cp in stored]
    for number, cp in enumerate(stored, start=1):
        try:
            body = Checkpoint.parse(cp.note[: cp.note.rfind("\n\n") + 1])
        except CheckpointError:
            continue  # reported with the signature check
        if (body.size, body.root_hash) != (cp.size, cp.root_hash):
            report.problems.append(
                f"checkpoint {number}: stored size/root columns differ from the signed note"
            )
    verify_leaves(recording(), notes, verifiers, origin=origin, report=report)
    if check_nodes:
        _verify_nodes(store, leaf_list, report)
    if report.uncovered:
        report.notes.append(
            f"{report.uncovered} entries are newer than the latest signed checkpoint"
        )
    if report.pruned:
        report.notes.append(
            f"{report.pruned} entries had their payload pruned by retention (hashes kept)"
        )
    return report


def _verify_nodes(store: LogStore, leaves: list[bytes], report: VerifyReport) -> None:
    """Check every stored interior node against the leaves, so proofs served are honest."""
    stored: dict[int, dict[int, bytes]] = {}
    for level, idx, h in store.iter_nodes():
        stored.setdefault(level, {})[idx] = h
    level_hashes = leaves
    level = 0
    while level_hashes:
        have = stored.get(level, {})
        for idx, h in enumerate(level_hashes):
            if level == 0:
                break  # leaves are the entries' own hashes, checked above
            if have.get(idx) != h:
                report.problems.append(
                    f"tree node (level {level}, index {idx}) is wrong or missing: "
                    "proofs served from it would be false"
                )
                return
        level_hashes = [
            node_hash(level_hashes[i], level_hashes[i + 1])
            for i in range(0, len(level_hashes) - 1, 2)
        ]
        level += 1


def verify_entry_proof(
    *,
    payload: bytes,
    index: int,
    proof: Sequence[bytes],
    checkpoint_note: str,
    verifiers: Sequence[Verifier],
) -> Checkpoint:
    """Check one entry against a signed checkpoint with its inclusion proof alone.

    Returns the checkpoint; raises `ProofError` or `CheckpointError` with the reason.
    """
    cp, _ = open_checkpoint(checkpoint_note, list(verifiers))
    verify_inclusion(index, cp.size, leaf_hash(payload), proof, cp.root_hash)
    record = json.loads(payload)
    if record.get("index") != index:
        raise ProofError(f"entry claims index {record.get('index')}, proof is for {index}")
    return cp


def verify_checkpoint_pair(
    *,
    old_note: str,
    new_note: str,
    proof: Sequence[bytes],
    verifiers: Sequence[Verifier],
) -> tuple[Checkpoint, Checkpoint]:
    """Check that a newer checkpoint extends an older one (no rewrite, no rollback)."""
    old, _ = open_checkpoint(old_note, list(verifiers))
    new, _ = open_checkpoint(new_note, list(verifiers))
    if old.origin != new.origin:
        raise CheckpointError(
            f"checkpoints belong to different logs: {old.origin!r}, {new.origin!r}"
        )
    verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof)
    return old, new
