"""Files a change touched: what `--diff-base REF` scans, from `git` run as a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess

from aims.errors import InputError, UsageError

_TIMEOUT = 120


def _git(root: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise InputError("git is not installed", hint="--diff-base needs git on PATH")
    try:
        return subprocess.run(
            [git, "-C", root, *args],
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"cannot run git: {exc}") from exc


def _paths(output: bytes) -> list[str]:
    return [p.decode("utf-8", "surrogateescape") for p in output.split(b"\0") if p]


def changed_files(root: str, ref: str) -> list[str]:
    """Return files under `root` changed since `ref`, as sorted POSIX paths relative to `root`.

    The comparison starts at the merge base of `ref` and `HEAD` (what a pull request changed)
    and ends at the work tree: added, copied, modified, renamed (new name) and type-changed
    files, plus untracked files that are not ignored. Deleted files are left out.

    Raises `UsageError` (exit 2) when `root` is not in a git work tree or `ref` is unknown.
    """
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        root = os.path.dirname(root)
    probe = _git(root, "rev-parse", "--is-inside-work-tree")
    if probe.returncode != 0 or probe.stdout.strip() != b"true":
        raise UsageError(
            f"{root} is not inside a git work tree",
            hint="--diff-base works in a git repository; scan without it here",
        )
    if ref.startswith("-"):
        raise UsageError(f"invalid git reference {ref!r}")
    verify = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if verify.returncode != 0:
        raise UsageError(
            f"unknown git reference {ref!r}",
            hint="fetch it first (e.g. git fetch origin main) or name a commit that exists",
        )
    base = _git(root, "merge-base", ref, "HEAD")
    if base.returncode != 0:
        raise UsageError(
            f"{ref!r} and HEAD have no common ancestor",
            hint="use a reference from the same history",
        )
    base_sha = base.stdout.decode().strip()
    diff = _git(
        root,
        "diff",
        "--name-only",
        "-z",
        "--no-renames",
        "--diff-filter=ACMRT",
        "--relative",
        base_sha,
        "--",
    )
    if diff.returncode != 0:
        raise InputError(f"git diff failed: {diff.stderr.decode(errors='replace').strip()}")
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
    if untracked.returncode != 0:
        raise InputError(
            f"git ls-files failed: {untracked.stderr.decode(errors='replace').strip()}"
        )
    # `--relative` and ls-files run in `root` both give paths relative to `root`.
    return sorted(set(_paths(diff.stdout)) | set(_paths(untracked.stdout)))
