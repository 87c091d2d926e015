"""Evidence bundles: a self-contained JSON file that verifies offline, without the database.

A bundle holds the public keys, every signed checkpoint, the leaf hash of every entry (so each
checkpoint's root can be recomputed), the payload of the exported entries with their inclusion
proofs against the latest checkpoint, and consistency proofs between consecutive checkpoints.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from aims.errors import InputError
from aims.ledger.checkpoint import CheckpointError, Verifier, open_checkpoint
from aims.ledger.log import TransparencyLog
from aims.ledger.tree import ProofError, leaf_hash, verify_consistency, verify_inclusion
from aims.ledger.verify import VerifyReport, verify_leaves

BUNDLE_FORMAT = "aims/log-bundle/1"


def export_bundle(
    log: TransparencyLog,
    verifiers: list[Verifier],
    *,
    select: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any]:
    """Build a bundle of the log; `select(record)` chooses the entries whose payloads go in."""
    store = log.store
    checkpoints = store.checkpoints_list()
    if not checkpoints:
        raise InputError("the log has no signed checkpoint yet; run `aims log checkpoint` first")
    latest = checkpoints[-1]
    leaves: list[str] = []
    entries: list[dict[str, Any]] = []
    for entry in store.iter_entries(end=latest.size):
        leaves.append(entry.leaf_hash.hex())
        record = entry.record()
        if record is None or (select is not None and not select(record)):
            continue
        proof = store.inclusion_proof(entry.index, latest.size)
        entries.append(
            {
                "index": entry.index,
                "payload": base64.b64encode(entry.payload or b"").decode(),
                "inclusion_proof": [p.hex() for p in proof],
            }
        )
    consistency = []
    for old, new in zip(checkpoints, checkpoints[1:], strict=False):
        if old.size <= new.size:
            proof = store.consistency_proof(old.size, new.size)
            consistency.append(
                {"old_size": old.size, "new_size": new.size, "proof": [p.hex() for p in proof]}
            )
    return {
        "format": BUNDLE_FORMAT,
        "origin": log.origin,
        "public_keys": [v.encode() for v in verifiers],
        "checkpoints": [cp.note for cp in checkpoints],
        "leaf_hashes": leaves,
        "entries": entries,
        "consistency_proofs": consistency,
    }


def load_bundle(text: str) -> dict[str, Any]:
    """Parse a bundle file; raises `InputError` when it is not one."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"not a log bundle: invalid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise InputError(f"not a log bundle: expected format {BUNDLE_FORMAT!r}")
    return data


def verify_bundle(data: dict[str, Any], trusted: list[Verifier] | None = None) -> VerifyReport:
    """Verify a bundle offline; `trusted` keys override the bundle's own public keys."""
    report = VerifyReport()
    try:
        verifiers = trusted or [Verifier.decode(k) for k in data.get("public_keys", [])]
        leaves = [bytes.fromhex(h) for h in data["leaf_hashes"]]
        notes = list(data["checkpoints"])
    except (KeyError, TypeError, ValueError, CheckpointError) as exc:
        raise InputError(f"malformed log bundle: {exc}") from exc
    if trusted is None:
        report.notes.append("trusting the public keys inside the bundle (pass --public-key)")
    verify_leaves(leaves, notes, verifiers, origin=data.get("origin"), report=report)
    if not notes:
        report.problems.append("bundle has no checkpoint")
        return report
    try:
        latest, _ = open_checkpoint(notes[-1], verifiers)
    except CheckpointError as exc:
        report.problems.append(f"latest checkpoint: {exc}")
        return report
    for item in data.get("entries", []):
        index = item.get("index")
        try:
            payload = base64.b64decode(item["payload"], validate=True)
            proof = [bytes.fromhex(p) for p in item["inclusion_proof"]]
            lh = leaf_hash(payload)
            if index >= len(leaves) or leaves[index] != lh:
                raise ProofError("payload does not match the leaf hash list")
            verify_inclusion(index, latest.size, lh, proof, latest.root_hash)
            if json.loads(payload).get("index") != index:
                raise ProofError("payload carries another index")
        except (KeyError, TypeError, ValueError, ProofError) as exc:
            report.problems.append(f"entry {index}: {exc}")
    by_size = {}
    for note in notes:
        try:
            cp = open_checkpoint(note, verifiers)[0]
        except CheckpointError:
            continue  # already reported by verify_leaves
        by_size[cp.size] = cp
    for item in data.get("consistency_proofs", []):
        old, new = by_size.get(item.get("old_size")), by_size.get(item.get("new_size"))
        if old is None or new is None:
            report.problems.append(f"consistency proof for unknown sizes {item}")
            continue
        try:
            proof = [bytes.fromhex(p) for p in item["proof"]]
            verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof)
        except (KeyError, ValueError, ProofError) as exc:
            report.problems.append(f"consistency {old.size}->{new.size}: {exc}")
    return report
