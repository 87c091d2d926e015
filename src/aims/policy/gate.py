"""Run the gate: scan (all, against a baseline, or only what a pull request changed), then judge."""

from __future__ import annotations

import subprocess
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from aims.errors import UsageError
from aims.inventory import Inventory
from aims.policy.evaluate import GateResult, evaluate
from aims.policy.model import Policy
from aims.scanner.engine import ScanOptions, scan
from aims.scanner.gitdiff import changed_files


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    proc = subprocess.run(
        ["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise UsageError(
            f"git {' '.join(args[:2])} failed: {proc.stderr.decode(errors='replace').strip()}"
        )
    return proc.stdout


def _renames(root: Path, base: str) -> dict[str, str]:
    """New path -> old path for files renamed between `base` and HEAD.

    NOTE: commit to commit, not to the work tree: comparing with the work tree stats every file
    (seconds on a large repository). A rename not yet committed counts as a new file.
    """
    out = _git(root, "diff", "--name-status", "-M", "-z", base, "HEAD").split(b"\0")
    renames = {}
    i = 0
    while i < len(out) - 1:
        status = out[i].decode()
        if status.startswith(("R", "C")) and i + 2 < len(out):
            renames[out[i + 2].decode()] = out[i + 1].decode()
            i += 3
        else:
            i += 2
    return renames


def _materialise_base(root: Path, base: str, paths: list[str], into: Path) -> None:
    """Write the base commit's version of each changed file (where it existed) under `into`."""
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    renames = _renames(root, base)
    requests = [f"{base}:{prefix}{renames.get(p, p)}" for p in paths]
    if not requests:
        return
    out = _git(root, "cat-file", "--batch", stdin=("\n".join(requests) + "\n").encode())
    position = 0
    for path in paths:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        position = header_end + 1
        if len(header) >= 2 and header[1] == b"missing":
            continue
        size = int(header[2])
        content = out[position : position + size]
        position += size + 1
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def run_gate(
    root: Path,
    policy: Policy,
    *,
    options: ScanOptions,
    today: date,
    baseline: Counter[str] | None = None,
    diff_base: str | None = None,
    inventory: Inventory | None = None,
) -> tuple[GateResult, Inventory]:
    """Scan `root` (or take `inventory`) and evaluate it; returns the result and the inventory.

    With `diff_base`, only files changed since the merge base with that ref are scanned, and the
    same files are scanned as they were at the base: findings that existed there do not count.
    """
    if diff_base is not None:
        paths = changed_files(str(root), diff_base)
        head = scan([str(root)], replace(options, only_paths=frozenset(paths)))
        merge_base = _git(root, "merge-base", diff_base, "HEAD").decode().strip()
        with tempfile.TemporaryDirectory(prefix="aims-base-") as tmp:
            _materialise_base(root, merge_base, paths, Path(tmp))
            before = scan([tmp], replace(options, use_cache=False, only_paths=None))
        base_result = evaluate(policy, before, today=today)
        counts = Counter(f.fingerprint for f in base_result.findings if f.suppression is None)
        return evaluate(policy, head, today=today, baseline=counts, mode="diff"), head
    scanned = inventory if inventory is not None else scan([str(root)], options)
    mode = "baseline" if baseline is not None else "full"
    return evaluate(policy, scanned, today=today, baseline=baseline, mode=mode), scanned
