"""Benchmark `aims scan --history`: a synthetic repository with 50,000 commits.

Builds the repository with one `git fast-import` stream (seconds, not minutes): N commits on
`main`, each rewriting one of 800 source/config files, with AI provider keys planted in some
commits and removed again later (plus one on a side branch). Then it times
`aims.secrets.history.scan_history()` and, as the reference measured in the same run, the bare
git work any history scanner must do: `git rev-list --objects --all` plus streaming every blob
through `git cat-file --batch`. It prints both, their ratio, and recall on the planted keys.

    python bench/history.py                 # 50,000 commits
    python bench/history.py --commits 5000  # quicker
"""

# ruff: noqa: E402 - the sys.path fix below must run before any other import
from __future__ import annotations

import sys
from pathlib import Path

# NOTE: run as a script, bench/ comes first on sys.path, where a sibling benchmark could shadow a
# standard-library module of the same name. Drop that entry first.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import random
import subprocess
import tempfile
import time

from aims.secrets.formats import load_key_formats
from aims.secrets.history import scan_history

FILES = 800
PLANTS = 40

_LINES = [
    "import os",
    "from app import settings",
    "def handler(event, context):",
    "    return settings.model",
    "MODEL = 'gpt-4o-mini'",
    "timeout: 30",
    "retries: 3",
    "log_level: info",
    "# TODO: tidy this",
    "export PATH=$PATH:/opt/bin",
]


def _content(rng: random.Random, path: str, revision: int) -> str:
    lines = [f"# {path} revision {revision}"]
    lines += [rng.choice(_LINES) for _ in range(rng.randint(8, 40))]
    return "\n".join(lines) + "\n"


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def build(repo: Path, commits: int, seed: int = 1) -> dict[str, tuple[str, bool]]:
    """Create the repository; return planted key -> (format id, still present at HEAD)."""
    rng = random.Random(seed)
    formats = [f for f in load_key_formats() if not f.contextual]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    paths = [
        f"{d}/{n}"
        for d, n in (
            (rng.choice(["src", "app", "config", "deploy", "notebooks"]), f"f{i}.{ext}")
            for i, ext in (
                (i, rng.choice(["py", "yaml", "env", "sh", "toml"])) for i in range(FILES)
            )
        )
    ]
    plant_at = set(rng.sample(range(10, commits - 10), PLANTS))
    formats_of: dict[str, str] = {}
    keys_in: dict[str, str] = {}
    """path -> key its content carries from now on (rewrites keep it until it is removed)."""
    removals: dict[int, str] = {}
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet"], stdin=subprocess.PIPE
    )
    assert proc.stdin is not None
    out = proc.stdin
    when = 1_600_000_000
    revision: dict[str, int] = {}

    def file_command(path: str) -> bytes:
        revision[path] = revision.get(path, 0) + 1
        body = _content(rng, path, revision[path])
        if path in keys_in:
            body += f"API_KEY={keys_in[path]}\n"
        return b"M 100644 inline %s\n" % path.encode() + _data(body)

    for n in range(commits):
        when += 600
        path = rng.choice(paths)
        message = f"change {n}"
        if n in plant_at:
            fmt = rng.choice(formats)
            key = fmt.generate_key(rng)
            formats_of[key] = fmt.id
            keys_in[path] = key
            message = f"configure {fmt.provider}"
            if len(formats_of) % 2 == 0:  # half of the keys are removed again later
                removals[n + rng.randint(1, 500)] = path
        changes = [file_command(path)]
        gone = removals.pop(n, None)
        if gone is not None and gone in keys_in and gone != path:
            del keys_in[gone]
            changes.append(file_command(gone))
        out.write(b"commit refs/heads/main\n")
        if n == commits - 1:
            out.write(b"mark :1\n")
        out.write(b"author Bench <bench@example.org> %d +0000\n" % when)
        out.write(b"committer Bench <bench@example.org> %d +0000\n" % when)
        out.write(_data(message))
        out.write(b"".join(changes))
        out.write(b"\n")
    at_head = set(keys_in.values())
    planted = {key: (fmt_id, key in at_head) for key, fmt_id in formats_of.items()}
    # One key only on a side branch.
    fmt = rng.choice(formats)
    key = fmt.generate_key(rng)
    planted[key] = (fmt.id, False)
    out.write(b"commit refs/heads/side\n")
    out.write(b"author Bench <bench@example.org> %d +0000\n" % (when + 60))
    out.write(b"committer Bench <bench@example.org> %d +0000\n" % (when + 60))
    out.write(_data("side work"))
    out.write(b"from :1\n")
    out.write(b"M 100644 inline side/.env\n")
    out.write(_data(f"API_KEY={key}\n"))
    out.write(b"\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", "main"], check=True)
    return planted


def reference(repo: Path) -> float:
    """Time the bare git work: list reachable blobs and stream them all once."""
    started = time.perf_counter()
    listing = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--objects", "--all", "--filter=object:type=blob"],
        capture_output=True,
        check=True,
    ).stdout
    shas = b"".join(line[:40] + b"\n" for line in listing.splitlines() if b" " in line)
    subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input=shas,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aims-bench-history-") as tmp:
        repo = args.keep or Path(tmp) / "repo"
        started = time.perf_counter()
        planted = build(repo, args.commits)
        built = time.perf_counter() - started
        ref = reference(repo)
        scan = scan_history(repo)
        found = {f.properties["key_fingerprint"]: f for f in scan.findings}
        from aims.secrets.fingerprint import keyed_fingerprint

        hits = sum(1 for key in planted if keyed_fingerprint(key) in found)
        head_ok = sum(
            1
            for key, (_fmt, at_head) in planted.items()
            if keyed_fingerprint(key) in found
            and found[keyed_fingerprint(key)].properties["present_at_head"] is at_head
        )
        stats = scan.stats
        print(f"commits                 {args.commits:>10,}  (built in {built:.1f} s)")
        print(f"unique blobs            {stats.blobs_total:>10,}")
        print(f"blobs searched          {stats.blobs_scanned:>10,}  (passed the keyword prefilter)")
        print(f"bytes read              {stats.bytes_read:>10,}")
        print(f"git reference           {ref:>10.2f} s  (rev-list + cat-file --batch, no scanning)")
        print(f"scan_history            {stats.duration_seconds:>10.2f} s")
        print(f"ratio                   {stats.duration_seconds / ref:>10.2f} x the git reference")
        print(f"planted keys found      {hits:>10} / {len(planted)}")
        print(f"present-at-HEAD correct {head_ok:>10} / {len(planted)}")
    return 0 if hits == len(planted) and head_ok == len(planted) else 1


if __name__ == "__main__":
    sys.exit(main())
