"""Benchmark: `aims check --diff-base` on a large repository where a pull request touches 20 files.

Usage: python -P bench/check.py [--files 100000] [--changed 20] [--dir /tmp/aims-bench-check]

Builds (once, with `git fast-import`) a repository of N small source files, commits a change to
20 of them on a branch (one adds an unapproved AI SDK), then times, in the same run:
  - `git diff --name-only main` (the floor: what any diff-aware tool must do),
  - `aims check --diff-base main` (cold cache),
and prints both and the ratio. Target: under 2 s for 100k files and 20 changed files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

POLICY = """version: 1
approvers: [lead@example.com]
packages:
  approved: ["pypi:openai>=1.0"]
  default: denied
"""


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "-C", str(repo), *args], input=stdin, check=True, capture_output=True
    ).stdout


def build(repo: Path, files: int) -> None:
    """Create the repository with fast-import (fast even for 100k files)."""
    if (repo / ".git").exists():
        return
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "bench@example.com")
    _git(repo, "config", "user.name", "bench")
    out = [b"commit refs/heads/main\ncommitter bench <bench@example.com> 1700000000 +0000\n"]
    out.append(b"data 4\nbase\n")
    blobs = {
        "py": b"import json\n\n\ndef handler(event):\n    return json.dumps(event)\n",
        "js": b"export function add(a, b) {\n  return a + b;\n}\n",
        "md": b"# Notes\n\nNothing to see here.\n",
    }
    for i in range(files):
        ext = ("py", "js", "md")[i % 3]
        path = f"pkg{i // 1000:03d}/mod{i % 1000:04d}.{ext}"
        data = blobs[ext]
        out.append(
            b"M 100644 inline "
            + path.encode()
            + b"\ndata "
            + str(len(data)).encode()
            + b"\n"
            + data
            + b"\n"
        )
    out.append(
        b"M 100644 inline aims-policy.yaml\ndata "
        + str(len(POLICY)).encode()
        + b"\n"
        + POLICY.encode()
        + b"\n"
    )
    out.append(b"M 100644 inline requirements.txt\ndata 15\nopenai==1.54.3\n\n")
    _git(repo, "fast-import", "--quiet", stdin=b"".join(out))
    _git(repo, "checkout", "-q", "-f", "main")


def change(repo: Path, changed: int) -> None:
    """A branch with `changed` modified files; one of them adds an unapproved SDK."""
    _git(repo, "checkout", "-q", "-B", "feature", "main")
    for i in range(changed - 1):
        path = repo / f"pkg{i:03d}/mod{(3 - i * 1000 % 3) % 3:04d}.py"  # a .py file in each package
        path.write_text(path.read_text() + f"\n\nVERSION = {i}\n")
    (repo / "requirements.txt").write_text("openai==1.54.3\nmistralai==1.2.0\n")
    _git(repo, "commit", "-qam", "feature")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=20)
    parser.add_argument("--dir", default="/tmp/aims-bench-check")
    args = parser.parse_args()
    repo = Path(args.dir) / f"repo-{args.files}"
    t0 = time.perf_counter()
    build(repo, args.files)
    change(repo, args.changed)
    print(
        f"repository: {args.files:,} files, {args.changed} changed (ready in {time.perf_counter() - t0:.1f} s)"
    )

    t0 = time.perf_counter()
    names = _git(repo, "diff", "--name-only", "main").split()
    git_s = time.perf_counter() - t0
    print(f"git diff --name-only: {git_s:.3f} s ({len(names)} files)")

    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "aims", "check", str(repo), "--diff-base", "main", "--no-cache"],
            capture_output=True,
            text=True,
        )
        runs.append(time.perf_counter() - t0)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the unapproved SDK fails the gate
    assert "mistralai" in proc.stdout
    best = min(runs)
    print(
        f"aims check --diff-base (whole process, best of 3): {best:.2f} s  "
        f"[runs: {', '.join(f'{r:.2f}' for r in runs)}]  target < 2 s"
    )
    print(f"ratio aims/git-diff: {best / git_s:.0f}x")


if __name__ == "__main__":
    main()
