"""Compare aims' key detection with detect-secrets (Yelp) on the same labelled corpus.

Builds the secrets accuracy corpus (keys of every catalog format planted in ten file types,
plus the decoys), runs `aims.secrets` over it and `detect-secrets scan --all-files` (the
installed CLI, default plugins and filters) over the same directory, and prints both tools'
precision and recall side by side, judged by file and line, with per-provider recall.

    python bench/keys_vs_detect_secrets.py
"""

# ruff: noqa: E402 - the sys.path fix below must run before any other import
from __future__ import annotations

import sys
from pathlib import Path

# NOTE: run as a script, this file's directory comes first on sys.path and its name shadows
# the standard library's `secrets` module (which pydantic imports). Drop that entry first.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import json
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict

from aims.secrets.accuracy import DEFAULT_DECOYS, scan_corpus
from aims.secrets.corpus import Corpus, build_corpus


def detect_secrets_hits(corpus: Corpus) -> tuple[set[tuple[str, int]], float]:
    """Run detect-secrets over the corpus; return reported (path, line) pairs and seconds."""
    exe = shutil.which("detect-secrets") or str(Path(sys.executable).parent / "detect-secrets")
    started = time.perf_counter()
    proc = subprocess.run(
        [exe, "scan", "--all-files", "."],
        cwd=corpus.root,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    results = json.loads(proc.stdout)["results"]
    return {
        (path, item["line_number"]) for path, items in results.items() for item in items
    }, elapsed


def score(
    corpus: Corpus, hits: set[tuple[str, int]]
) -> tuple[float, float, int, dict[str, list[int]]]:
    """Return precision, recall, false positives and provider -> [found, planted]."""
    planted = {(p.path, p.line): p for p in corpus.planted}
    true_hits = hits & set(planted)
    false_hits = hits - set(planted)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for where, p in planted.items():
        per[p.provider][1] += 1
        per[p.provider][0] += where in true_hits
    reported = len(true_hits) + len(false_hits)
    precision = len(true_hits) / reported if reported else 1.0
    return precision, len(true_hits) / len(planted), len(false_hits), per


def main() -> int:
    decoys = DEFAULT_DECOYS if DEFAULT_DECOYS.is_file() else None
    with tempfile.TemporaryDirectory(prefix="aims-bench-secrets-") as tmp:
        corpus = build_corpus(Path(tmp), decoys)
        started = time.perf_counter()
        aims_hits = {(h.path, h.line) for h in scan_corpus(corpus)}
        aims_time = time.perf_counter() - started
        ds_hits, ds_time = detect_secrets_hits(corpus)
        a = score(corpus, aims_hits)
        d = score(corpus, ds_hits)
    print(
        f"corpus: {len(corpus.planted)} planted keys ({len(a[3])} providers, 10 file types), "
        f"{corpus.decoy_count} decoys\n"
    )
    print(f"{'':24}{'aims':>14}{'detect-secrets':>18}")
    print(f"{'precision':24}{a[0]:>14.3f}{d[0]:>18.3f}")
    print(f"{'recall':24}{a[1]:>14.3f}{d[1]:>18.3f}")
    print(f"{'false positives':24}{a[2]:>14}{d[2]:>18}")
    print(f"{'seconds':24}{aims_time:>14.2f}{ds_time:>18.2f}")
    print("\nrecall per provider")
    for provider in sorted(a[3]):
        fa, pa = a[3][provider]
        fd, _ = d[3][provider]
        print(f"  {provider:22}{fa:>8}/{pa:<5}{fd:>12}/{pa}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
