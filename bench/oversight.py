"""Benchmark of the oversight log: durable appends/s, proof cost and size, bytes per entry.

Usage: python bench/oversight.py [--entries 1000000] [--single 2000] [--batch 1000] [--db URL]

Prints appends per second one at a time (one durable transaction each) and batched, proof
generation and verification time and size at the full size, and storage bytes per entry.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from aims.ledger.checkpoint import Signer
from aims.ledger.log import TransparencyLog
from aims.ledger.store import LogStore
from aims.ledger.tree import verify_consistency, verify_inclusion


def _decision(i: int) -> tuple[str, str, dict[str, object]]:
    return (
        "decision",
        "bench-system",
        {
            "decision_id": f"{i:032x}",
            "model": "gbm",
            "model_version": "3.1",
            "input_hash": f"{i * 2654435761 % 2**256:064x}",
            "output": i % 2,
            "confidence": (i % 1000) / 1000,
            "latency_ms": 3.2,
            "caller": "bench",
            "review": None,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--single", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: a temporary SQLite)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="aims-bench-log-"))
    url = args.db or f"sqlite:///{tmp / 'log.db'}"
    store = LogStore.open(url)
    log = TransparencyLog(store, Signer.generate("bench.local/log"))
    print(f"database: {url}")

    t0 = time.perf_counter()
    for i in range(args.single):
        log.append([_decision(i)])
    single = args.single / (time.perf_counter() - t0)
    print(f"durable appends, one per transaction: {single:,.0f}/s ({args.single} appends)")

    done = args.single
    t0 = time.perf_counter()
    while done < args.entries:
        n = min(args.batch, args.entries - done)
        log.append([_decision(done + k) for k in range(n)])
        done += n
        if done % (args.batch * 100) == 0:
            log.checkpoint()
    batched = (args.entries - args.single) / (time.perf_counter() - t0)
    log.checkpoint()
    print(f"durable appends, batches of {args.batch}: {batched:,.0f}/s (to {args.entries:,})")

    size = store.size()
    root = store.root(size)
    leaves = {i: store.entry(i) for i in range(0, size, max(1, size // 200))}
    gen, ver, sizes = [], [], []
    for i, entry in leaves.items():
        assert entry is not None
        t0 = time.perf_counter()
        proof = store.inclusion_proof(i, size)
        gen.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        verify_inclusion(i, size, entry.leaf_hash, proof, root)
        ver.append(time.perf_counter() - t0)
        sizes.append(32 * len(proof))
    print(
        f"inclusion proof at {size:,}: generate {statistics.median(gen) * 1e3:.2f} ms, "
        f"verify {statistics.median(ver) * 1e6:.0f} us, size {statistics.median(sizes):.0f} bytes"
    )
    old = size // 3
    t0 = time.perf_counter()
    cproof = store.consistency_proof(old, size)
    cgen = time.perf_counter() - t0
    old_root = store.root(old)
    t0 = time.perf_counter()
    verify_consistency(old, size, old_root, root, cproof)
    cver = time.perf_counter() - t0
    print(
        f"consistency proof {old:,}->{size:,}: generate {cgen * 1e3:.2f} ms, verify "
        f"{cver * 1e6:.0f} us, size {32 * len(cproof)} bytes"
    )
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        total = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        print(f"storage: {total / size:.0f} bytes per entry (entries + tree nodes + checkpoints)")
    store.close()


if __name__ == "__main__":
    main()
