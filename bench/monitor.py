"""Benchmark: aims monitoring vs Evidently's data-drift preset on the same data, in the same run.

Usage:
  python bench/monitor.py [--rows 10000000] [--reference-rows 1000000] [--columns 20]
                          [--evidently-python PATH] [--evidently-rows N]

Generates seeded Parquet data (reference and current, half the columns drifted), then runs, each
in its own process so peak memory is measured per tool (`ru_maxrss` of the child):
  1. `aims monitor run` (summarise the reference, stream the current data);
  2. Evidently's DataDriftPreset on the same files loaded with pandas, with the interpreter given
     by --evidently-python (a separate virtualenv where `pip install evidently` ran, so its pins
     never touch aims' own environment). Evidently needs all rows in memory; --evidently-rows
     caps the rows it gets when the full set does not fit, and the output says so.
Prints wall time and peak memory for each and the ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVIDENTLY_SCRIPT = r"""
import sys, time, json
import pandas as pd
import pyarrow.parquet as pq
ref_path, cur_path, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter()
ref = pq.read_table(ref_path).to_pandas()
cur = pq.read_table(cur_path).slice(0, rows).to_pandas()
try:
    from evidently import Report
    from evidently.presets import DataDriftPreset
    report = Report([DataDriftPreset()])
    snapshot = report.run(reference_data=ref, current_data=cur)
    result = snapshot.dict()
except ImportError:
    from evidently.report import Report
    from evidently.metric_preset import DataDriftPreset
    report = Report(metrics=[DataDriftPreset()])
    report.run(reference_data=ref, current_data=cur)
    result = report.as_dict()
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": len(cur)}))
"""


def generate(
    folder: Path, *, rows: int, ref_rows: int, columns: int, seed: int = 42
) -> tuple[Path, Path]:
    """Write reference.parquet and current.parquet (cached by shape) and return their paths."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    ref_path = folder / f"ref-{ref_rows}-{columns}.parquet"
    cur_path = folder / f"cur-{rows}-{columns}.parquet"
    if ref_path.exists() and cur_path.exists():
        return ref_path, cur_path
    rng = np.random.default_rng(seed)
    n_cat = max(1, columns // 4)

    def batch(n: int, drift: bool) -> pa.RecordBatch:
        data = {}
        for i in range(columns - n_cat):
            shift = 0.4 if drift and i % 2 == 0 else 0.0
            data[f"num_{i}"] = rng.normal(shift, 1.0, n)
        for i in range(n_cat):
            p = [0.5, 0.3, 0.2] if not (drift and i % 2 == 0) else [0.3, 0.3, 0.4]
            data[f"cat_{i}"] = rng.choice(np.array(["a", "b", "c"]), n, p=p)
        return pa.RecordBatch.from_pydict(data)

    for path, n, drift in ((ref_path, ref_rows, False), (cur_path, rows, True)):
        writer = None
        done = 0
        while done < n:
            part = batch(min(1_000_000, n - done), drift)
            writer = writer or pq.ParquetWriter(path, part.schema)
            writer.write_batch(part)
            done += part.num_rows
        assert writer is not None
        writer.close()
    return ref_path, cur_path


# A fresh parent per measured command, so RUSAGE_CHILDREN's peak belongs to that command alone.
WRAPPER = (
    "import resource, subprocess, sys\n"
    "p = subprocess.run(sys.argv[1:])\n"
    "sys.stderr.write(f'\\nAIMS-BENCH-PEAK-KIB {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n')\n"
    "sys.exit(p.returncode)\n"
)


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Run a command; return wall seconds, its peak RSS in MiB, and its stdout."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    peak_kib = int(proc.stderr.rsplit("AIMS-BENCH-PEAK-KIB ", 1)[1].split()[0])
    return wall, peak_kib / 1024, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--reference-rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--evidently-python", default=None)
    parser.add_argument("--evidently-rows", type=int, default=None)
    parser.add_argument(
        "--data-dir", default=str(Path(tempfile.gettempdir()) / "aims-bench-monitor")
    )
    args = parser.parse_args()

    folder = Path(args.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    ref, cur = generate(folder, rows=args.rows, ref_rows=args.reference_rows, columns=args.columns)
    print(
        f"data: {args.reference_rows:,} reference and {args.rows:,} current rows x {args.columns} "
        f"columns ({cur.stat().st_size / 2**20:.0f} MiB Parquet), ready in {time.perf_counter() - t0:.1f} s"
    )

    aims = [
        sys.executable,
        "-m",
        "aims",
        "monitor",
        "run",
        "--reference",
        str(ref),
        "--current",
        str(cur),
        "--format",
        "json",
        "--no-history",
        "--no-incident",
        "--exit-zero",
    ]
    wall, peak, out = timed(aims)
    result = json.loads(out)
    drifted = len(result["drift"]["dataset"]["drifted_columns"])
    print(
        f"aims:      {wall:8.1f} s  peak {peak:7.0f} MiB  ({args.rows / wall:,.0f} rows/s; "
        f"{drifted}/{args.columns} columns drifted)"
    )
    if not args.evidently_python:
        print("evidently: not run (pass --evidently-python /path/to/venv/bin/python)")
        return
    ev_rows = args.evidently_rows or args.rows
    ev_wall, ev_peak, ev_out = timed(
        [args.evidently_python, "-c", EVIDENTLY_SCRIPT, str(ref), str(cur), str(ev_rows)]
    )
    version = subprocess.run(
        [args.evidently_python, "-c", "import evidently; print(evidently.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(
        f"evidently {version}: {ev_wall:6.1f} s  peak {ev_peak:7.0f} MiB  ({ev_rows:,} current rows)"
    )
    if ev_rows == args.rows:
        print(
            f"ratio evidently/aims: time {ev_wall / wall:.1f}x, peak memory {ev_peak / peak:.1f}x"
        )
    else:
        per_row = (ev_wall / ev_rows) / (wall / args.rows)
        print(f"evidently got {ev_rows:,} rows only; per-row time ratio {per_row:.1f}x")


if __name__ == "__main__":
    main()
