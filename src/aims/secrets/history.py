"""Scan every unique blob reachable in a git repository's history for AI provider keys.

One `git rev-list --objects --all` lists each reachable blob once (with a path it had), git
itself drops blobs over the size limit, and one `git cat-file --batch` process streams their
contents; each blob is prefiltered on the matcher's keywords and scanned once, however many
commits contain it. Only when keys are found does a single `git log --raw` pass map each
key-bearing blob to the commit that introduced it (oldest commit adding that blob), its author
and date; the blobs of HEAD's tree say whether the key is still present at HEAD.

Nothing here prints: the caller (`aims scan --history`) renders the findings, which hold only
redacted keys and keyed fingerprints.
"""

from __future__ import annotations

import importlib
import logging
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from aims.errors import InputError, UsageError
from aims.findings import Finding
from aims.inventory import Component, Inventory, ScanWarning
from aims.scanner.detectors.base import DetectResult
from aims.scanner.suppressions import apply_inline_ignores
from aims.secrets.filters import is_skipped_file
from aims.secrets.matcher import KeyMatch, KeyMatcher, default_matcher
from aims.secrets.results import DETECTOR_NAME, key_component, key_finding

log = logging.getLogger("aims.secrets.history")

DEFAULT_MAX_BLOB_SIZE = 2 * 1024 * 1024
"""Blobs larger than this (bytes) are skipped, like the work-tree scan's size limit."""

_BINARY_SNIFF = 8000


@dataclass(slots=True)
class HistoryStats:
    """Counts describing one history scan."""

    blobs_total: int = 0
    """Unique reachable blobs within the size limit."""
    blobs_scanned: int = 0
    """Blobs that passed the keyword prefilter and were searched."""
    blobs_with_keys: int = 0
    bytes_read: int = 0
    duration_seconds: float = 0.0


@dataclass(slots=True)
class HistoryScan:
    """What `scan_history` found: findings (AIM203), `secret` components, warnings, stats."""

    findings: list[Finding] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    warnings: list[ScanWarning] = field(default_factory=list)
    stats: HistoryStats = field(default_factory=HistoryStats)

    def as_result(self) -> DetectResult:
        """The same content as a `DetectResult`, for engines that merge detector output."""
        return DetectResult(
            components=list(self.components),
            findings=list(self.findings),
            warnings=list(self.warnings),
        )


@dataclass(frozen=True, slots=True)
class _Origin:
    commit: str
    author: str
    date: str
    timestamp: int
    path: str


def _git(root: Path, *args: str) -> list[str]:
    return ["git", "-C", str(root), "-c", "core.quotepath=off", *args]


def _run(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(_git(root, *args), capture_output=True, check=False, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"cannot run git: {type(exc).__name__}") from exc
    if proc.returncode != 0:
        # NOTE: git's stderr is about refs and paths, never blob contents, so it is safe to show.
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            f"git {args[0]} failed in {root}: {message[-1] if message else proc.returncode}"
        )
    return proc.stdout.decode("utf-8", "surrogateescape")


def _reachable_blobs(root: Path, max_size: int) -> dict[str, str]:
    """Return blob id -> one path it had, for every reachable blob within the size limit."""
    out = _run(
        root,
        "rev-list",
        "--objects",
        "--all",
        "--filter=object:type=blob",
        f"--filter=blob:limit={max_size + 1}",
    )
    blobs: dict[str, str] = {}
    for line in out.splitlines():
        sha, sep, path = line.partition(" ")
        if sep and path:
            blobs.setdefault(sha, path)
    return blobs


def _feed(stdin: IO[bytes], shas: list[str]) -> None:
    try:
        for sha in shas:
            stdin.write(sha.encode("ascii") + b"\n")
    except BrokenPipeError:
        pass
    finally:
        try:
            stdin.close()
        except BrokenPipeError:
            pass


def _blob_contents(root: Path, shas: list[str]) -> Iterator[tuple[str, bytes]]:
    """Stream (blob id, content) pairs through one `git cat-file --batch` process."""
    proc = subprocess.Popen(
        _git(root, "cat-file", "--batch"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, shas), daemon=True)
    feeder.start()
    out = proc.stdout
    try:
        while True:
            header = out.readline()
            if not header:
                break
            parts = header.split()
            if len(parts) < 3:  # `<sha> missing`
                continue
            size = int(parts[2])
            data = out.read(size)
            out.read(1)  # the newline after the content
            yield parts[0].decode("ascii"), data
    finally:
        out.close()
        proc.wait()
        feeder.join(timeout=5)


def _origins(root: Path, targets: set[str]) -> dict[str, _Origin]:
    """Map each target blob to the oldest commit whose diff adds or changes a file to it.

    NOTE: one full `git log --raw` pass; limiting it with pathspecs was measured slower on a
    50k-commit history (pathspec matching costs more than the tree diffs it saves).
    """
    found: dict[str, _Origin] = {}
    if targets:
        _log_pass(root, targets, found)
    return found


def _log_pass(root: Path, targets: set[str], found: dict[str, _Origin]) -> None:
    proc = subprocess.Popen(
        _git(
            root,
            "log",
            "--all",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--format=%x00%H%x00%an%x00%aI%x00%at",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    commit = author = date = ""
    stamp = 0
    for raw in proc.stdout:
        line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
        if line.startswith("\0"):
            _, commit, author, date, when = (line.split("\0") + ["", "", "", ""])[:5]
            stamp = int(when) if when.isdigit() else 0
            continue
        if not line.startswith(":"):
            continue
        meta, _, path = line.partition("\t")
        fields = meta.split()
        if len(fields) >= 4 and fields[3] in targets:
            # `git log` lists newest first: the last assignment is the oldest commit.
            found[fields[3]] = _Origin(commit, author, date, stamp, path)
    proc.wait()


def _head_blobs(root: Path) -> dict[str, set[str]]:
    """Blob SHA -> the paths holding it in HEAD's tree."""
    try:
        out = _run(root, "ls-tree", "-r", "--full-tree", "HEAD")
    except InputError:
        return {}  # no commits yet, or a detached/unborn HEAD
    blobs: dict[str, set[str]] = {}
    for line in out.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            blobs.setdefault(parts[2], set()).add(path)
    return blobs


def _any_keyword(keywords: list[bytes]) -> Callable[[bytes], bool]:
    """Return a test for "one of the keywords occurs in this lower-cased text".

    Keywords that contain another keyword are dropped (the shorter one already decides). With
    the optional `google-re2` package this is one DFA pass per blob (about 10x faster than
    Python substring checks on a 50k-blob history); without it, C-speed `in` tests.
    """
    minimal = sorted({k for k in keywords if k and not any(o != k and o in k for o in keywords)})
    try:
        re2: Any = importlib.import_module("re2")
    except ImportError:
        return lambda lowered: any(k in lowered for k in minimal)
    pattern = re2.compile(b"|".join(re.escape(k) for k in minimal))
    return lambda lowered: pattern.search(lowered) is not None


def find_repository(path: str | Path) -> Path | None:
    """Return the top directory of the git work tree holding `path`, or None when there is none."""
    where = Path(path)
    if not where.is_dir():
        where = where.parent
    if shutil.which("git") is None or not where.is_dir():
        return None
    proc = subprocess.run(
        _git(where, "rev-parse", "--show-toplevel"), capture_output=True, check=False
    )
    top = proc.stdout.decode("utf-8", "surrogateescape").strip()
    return Path(top) if proc.returncode == 0 and top else None


def scan_history(
    repo_root: str | Path,
    *,
    matcher: KeyMatcher | None = None,
    max_blob_size: int = DEFAULT_MAX_BLOB_SIZE,
    ignores: bool = True,
) -> HistoryScan:
    """Scan every unique blob reachable from any ref of the repository at `repo_root`.

    Returns one AIM203 finding per distinct key and path where it was introduced, located at the
    introducing commit (properties: `commit`, `author`, `date`, `present_at_head`, `blob`,
    `versions` = how many blob versions hold it), plus one `secret` component per distinct key.
    With `ignores`, an `aims: ignore[secret] reason` comment in the blob marks the finding as
    suppressed, exactly as in the work tree. Raises `InputError` when `repo_root` is not a git
    work tree or git is not installed.
    """
    started = time.perf_counter()
    root = Path(repo_root)
    if shutil.which("git") is None:
        raise InputError("--history needs git on PATH", hint="install git, or drop --history")
    if not root.is_dir():
        raise InputError(f"not a directory: {root}")
    top = _run(root, "rev-parse", "--show-toplevel").strip()
    root = Path(top) if top else root
    matcher = matcher or default_matcher()
    has_keyword = _any_keyword(matcher.keywords())
    result = HistoryScan()
    blobs = _reachable_blobs(root, max_blob_size)
    result.stats.blobs_total = len(blobs)
    hits: dict[str, list[KeyMatch]] = {}
    texts: dict[str, str] = {}
    """Text of key-bearing blobs that need it (notebooks, inline ignores); others are dropped."""
    wanted = [sha for sha, path in blobs.items() if not is_skipped_file(path.rsplit("/", 1)[-1])]
    for sha, data in _blob_contents(root, wanted):
        result.stats.bytes_read += len(data)
        if b"\0" in data[:_BINARY_SNIFF]:
            continue
        lowered = data.lower()
        if not has_keyword(lowered):
            continue
        result.stats.blobs_scanned += 1
        text = data.decode("utf-8", errors="replace")
        matches = matcher.find(text).matches
        if matches:
            hits[sha] = matches
            if (ignores and b"aims:" in lowered) or blobs[sha].endswith(".ipynb"):
                texts[sha] = text
    result.stats.blobs_with_keys = len(hits)
    if hits:
        _report(root, blobs, hits, texts, result, ignores=ignores)
    result.stats.duration_seconds = time.perf_counter() - started
    return result


def add_history(
    inventory: Inventory,
    paths: list[str],
    *,
    ignores: bool = True,
    max_blob_size: int = DEFAULT_MAX_BLOB_SIZE,
) -> list[HistoryStats]:
    """Scan the git history of every repository holding one of `paths`; merge into `inventory`.

    This is what `aims scan --history` calls after the work-tree scan. Each repository is
    scanned once however many paths lie in it. Findings are de-duplicated and components merged
    the way the scan engine does. Raises `UsageError` when a path is not inside a git work tree.
    """
    from aims.scanner.assemble import dedupe_findings, merge_components

    done: list[HistoryStats] = []
    seen: set[Path] = set()
    for path in paths:
        top = find_repository(path)
        if top is None:
            raise UsageError(
                f"--history: {path} is not inside a git repository", hint="drop --history"
            )
        if top in seen:
            continue
        seen.add(top)
        found = scan_history(top, ignores=ignores, max_blob_size=max_blob_size)
        stats = found.stats
        log.info(
            "history of %s: %d blobs, %d searched, %d with keys, %.2f s",
            top,
            stats.blobs_total,
            stats.blobs_scanned,
            stats.blobs_with_keys,
            stats.duration_seconds,
        )
        inventory.findings = dedupe_findings([*inventory.findings, *found.findings])
        inventory.components = merge_components([*inventory.components, *found.components])
        inventory.warnings.extend(found.warnings)
        done.append(stats)
    return done


def _report(
    root: Path,
    blobs: dict[str, str],
    hits: dict[str, list[KeyMatch]],
    texts: dict[str, str],
    result: HistoryScan,
    *,
    ignores: bool,
) -> None:
    origins = _origins(root, set(hits))
    head = _head_blobs(root)
    at_head = {m.keyed_hash for sha, ms in hits.items() if sha in head for m in ms}
    in_file_at_head = {
        (m.keyed_hash, path) for sha, ms in hits.items() for path in head.get(sha, ()) for m in ms
    }
    # One finding per (key, path): the oldest introduction wins; count the versions holding it.
    best: dict[tuple[str, str], tuple[str, KeyMatch, _Origin | None]] = {}
    versions: dict[tuple[str, str], int] = {}
    for sha, matches in hits.items():
        origin = origins.get(sha)
        path = origin.path if origin else blobs[sha]
        for match in matches:
            key = (match.keyed_hash, path)
            versions[key] = versions.get(key, 0) + 1
            current = best.get(key)
            if current is None or _older(origin, current[2]):
                best[key] = (sha, match, origin)
    seen_keys: set[str] = set()
    for (keyed, path), (sha, match, origin) in sorted(
        best.items(), key=lambda item: (item[1][2].timestamp if item[1][2] else 0, item[0][1])
    ):
        history: dict[str, Any] = {
            "commit": origin.commit if origin else None,
            "author": origin.author if origin else None,
            "date": origin.date if origin else None,
            "present_at_head": keyed in at_head,
            "present_in_file_at_head": (keyed, path) in in_file_at_head,
            "blob": sha,
            "versions": versions[(keyed, path)],
        }
        commit = origin.commit if origin else None
        finding = key_finding(match, path, commit=commit, history=history, text=texts.get(sha))
        if ignores and sha in texts:
            marked, warnings = apply_inline_ignores(
                [finding], texts[sha], path=path, family_of=lambda _f: DETECTOR_NAME
            )
            finding = marked[0]
            result.warnings.extend(warnings)
        result.findings.append(finding)
        if keyed not in seen_keys:
            seen_keys.add(keyed)
            result.components.append(key_component(match, path, commit=commit))
    if len(origins) < len(hits):
        result.warnings.append(
            ScanWarning(
                ".",
                f"{len(hits) - len(origins)} key-bearing blob(s) were introduced only by merge "
                "commits; their commit is unknown",
            )
        )


def _older(candidate: _Origin | None, current: _Origin | None) -> bool:
    if candidate is None:
        return False
    if current is None:
        return True
    return candidate.timestamp < current.timestamp
