"""File discovery: one fast walk over the scan roots that honours .gitignore and skips noise.

The walker only lists and stats files; it never reads their content (the engine does that once,
in a worker, through `read_file`). Every problem it meets (an unreadable directory, a symbolic
link loop, a file that vanished) becomes a `ScanWarning`, never an exception.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from aims.inventory import ScanWarning

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
"""Text files larger than this (2 MiB) are skipped with a warning."""
MODEL_HEADER_SIZE = 64 * 1024
"""Model files are handed to detectors with only this many leading bytes."""
BINARY_SNIFF_SIZE = 8 * 1024
"""A NUL byte within this many leading bytes marks a file as binary."""
NOTEBOOK_SIZE_FACTOR = 8
"""Jupyter notebooks may be this many times the size limit (16 MiB by default): saved outputs
(base64 plots) make course notebooks of 3-10 MB common, and the notebook reader skips outputs
without decoding them, so their size costs one regex pass."""
LOCK_FILE_SIZE = 32 * 1024 * 1024
"""Lock files are read up to this size (32 MiB) whatever the text size limit: they are where
a project's dependencies, AI SDKs among them, are pinned, and large monorepos' lock files
often pass 2 MiB."""
LOCK_FILE_NAMES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "poetry.lock",
        "pdm.lock",
        "uv.lock",
        "Pipfile.lock",
        "Cargo.lock",
        "gradle.lockfile",
        "packages.lock.json",
    }
)
"""Dependency lock files of the ecosystems aims reads (see `LOCK_FILE_SIZE`)."""

# Directories that never hold the project's own sources, skipped unless --include-vendored.
# Each name is here for a reason:
#  - node_modules, bower_components, jspm_packages: installed JavaScript dependencies.
#  - site-packages, __pypackages__: installed Python packages (PEP 582 layout too).
#  - __pycache__: compiled Python bytecode only.
#  - .tox, .nox, .mypy_cache, .pytest_cache, .ruff_cache, .hypothesis: tool caches/envs.
#  - vendor: vendored third-party code by the Go, PHP (Composer) and Ruby (Bundler) conventions.
#  - Pods, Carthage: installed iOS dependencies (CocoaPods, Carthage checkouts).
#  - .gradle, .terraform, .next, .nuxt, .svelte-kit, .parcel-cache, .angular: tool state and
#    build output of Gradle, Terraform and the JavaScript frameworks.
#  - dist: built distributions (sdists/wheels, bundled JavaScript); a copy of the sources.
# Virtual environments are recognised by their `pyvenv.cfg` whatever their name (.venv, venv,
# env, ...), and any directory holding a CACHEDIR.TAG (the cache-directory convention that
# Cargo's `target/` and many tools follow) is a cache. `build` and `target` are only skipped
# when they are provably build output (see `_is_vendored`), so a source folder that happens
# to be called `build` (Bazel/Gradle build logic, a `build/` package) is still scanned.
VENDORED_DIRS = frozenset(
    {
        "node_modules",
        "bower_components",
        "jspm_packages",
        "site-packages",
        "__pypackages__",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "vendor",
        "Pods",
        "Carthage",
        ".gradle",
        ".terraform",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".parcel-cache",
        ".angular",
        "dist",
    }
)
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", ".aims"})
"""Version-control metadata and aims' own records folder (`.aims/`: AI system records name the
models and providers they govern, which is not use): never scanned, even with --include-vendored."""

AIMS_OWN_FILES = frozenset({"aims-policy.yaml", ".aims-baseline.json"})
"""aims' own configuration: a policy's deny list names models it forbids, which is not use."""

# Files next to `build/` or `target/` that prove the folder is the output of that build tool.
_BUILD_MARKERS = frozenset(
    {
        "setup.py",
        "setup.cfg",
        "pyproject.toml",
        "build.gradle",
        "build.gradle.kts",
        "settings.gradle",
        "settings.gradle.kts",
        "CMakeLists.txt",
        "package.json",
        "pom.xml",
        "build.sbt",
        "Cargo.toml",
    }
)
_TARGET_MARKERS = frozenset({"Cargo.toml", "pom.xml", "build.sbt", "project.clj"})

# Model formats recognised by name. `.bin` is too generic: it needs a pickle or zip header.
_MODEL_EXTENSIONS: dict[str, str] = {
    ".gguf": "gguf",
    ".ggml": "ggml",
    ".safetensors": "safetensors",
    ".onnx": "onnx",
    ".pt": "pytorch",
    ".pth": "pytorch",
    ".ckpt": "pytorch",
    ".h5": "keras",
    ".hdf5": "keras",
    ".keras": "keras",
    ".tflite": "tflite",
    ".pkl": "pickle",
    ".pickle": "pickle",
    ".joblib": "joblib",
}
_SAVEDMODEL_NAMES = frozenset({"saved_model.pb", "saved_model.pbtxt"})
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


RACY_WINDOW_NS = 2_000_000_000
"""A directory modified this close to a walk's start is listed again by the next walk."""

DirIndex = dict[str, Any]
"""What a walk learnt about a root, for the next walk of it (kept in the scan cache).

`{"frames": facts of the ignore files above the root, "prefix": the root's label, "dirs":
{relative dir: [mtime_ns, inode, facts of its .gitignore, names of the files yielded,
[[subdir, dev, inode], ...], replayable, "size:mtime_ns:inode;..." of its files, marks]}}`.
A directory whose mtime, inode and ignore file are unchanged has the same names, so the next
walk stats its known files and subdirectories instead of listing it and deciding again what
to skip; a directory holding symbolic links (whose targets can change without touching it)
is never replayed. A file modified within the racy window has size -1 (never matches).
`marks` is set by the scan cache, `[files read, [names with a stored result]]`, when every
file of the directory is stored with exactly these facts; then an unchanged directory is a
single `DirHit`.
"""


@dataclass(slots=True)
class DirHit:
    """A directory of unchanged files that the cache holds entirely (`Walker.walk_cached`)."""

    prefix: str
    """Relative path of the directory ('' or ending with `/`), with the root's label."""
    names: list[str]
    """Its files, in walk order."""
    read: int
    """How many of them were read when stored (the rest were skipped: binary, too large)."""
    with_results: list[str]
    """The names whose stored result is not empty."""
    root: int = 0


@dataclass(slots=True)
class WalkEntry:
    """One candidate file found by the walk (stat only; not read yet)."""

    relpath: str
    """POSIX path relative to its scan root (prefixed with the root when scanning several)."""
    abspath: str
    size: int
    mtime_ns: int
    inode: int
    root: int = 0
    """Index of the scan root this file belongs to."""

    @property
    def name(self) -> str:
        """The file name without directories."""
        return self.relpath.rsplit("/", 1)[-1]


@dataclass(slots=True)
class WalkOptions:
    """What the walk skips."""

    include_vendored: bool = False
    honour_gitignore: bool = True


@dataclass(slots=True)
class _IgnoreFrame:
    prefix: str
    """Directory of the ignore file, relative to the repository top, with a trailing `/`."""
    spec: pathspec.GitIgnoreSpec | None
    any_pattern: re.Pattern[str] | None = None
    """All the file's patterns in one regex: when it does not match, the file has no say."""
    pending: Callable[[], pathspec.GitIgnoreSpec | None] | None = None
    """Reads `spec` on first use: the ignore file of a replayed directory is only consulted
    if a directory below it has to be listed again."""


_NAMED_GROUP = re.compile(r"\(\?P<[^>]+>")


def _make_spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    try:
        # pathspec >= 1.0: the pure-regex backend exposes `pattern.regex` for `_any_pattern`.
        return pathspec.GitIgnoreSpec.from_lines(lines, backend="simple")
    except TypeError:  # pathspec 0.12 has one backend and no `backend` argument
        return pathspec.GitIgnoreSpec.from_lines(lines)


def _any_pattern(spec: pathspec.GitIgnoreSpec) -> re.Pattern[str] | None:
    """Combine a spec's patterns into one regex, a fast pre-check before `check_file`.

    NOTE: pathspec tests the patterns one by one (about 10 µs a path); one combined match is
    ten times faster, and only paths it matches pay for the exact, order-aware check.
    """
    sources: list[str] = []
    for pattern in spec.patterns:
        regex = getattr(pattern, "regex", None)
        if pattern.include is None or regex is None:
            continue
        source = getattr(regex, "pattern", None)
        if not isinstance(source, str):
            return None
        sources.append(_NAMED_GROUP.sub("(?:", source))
    if not sources:
        return None
    try:
        return re.compile("|".join(f"(?:{s})" for s in sources))
    except re.error:
        return None


@dataclass(slots=True)
class _Root:
    path: str
    """Absolute, normalised path of the scan root."""
    label: str
    """Prefix for relative paths ('' when scanning a single root)."""
    top: str
    """Repository top (the nearest ancestor with `.git`) or the root itself."""
    top_rel: str
    """The root relative to `top`, '' or ending with `/`."""


@dataclass(slots=True)
class Walker:
    """Walks scan roots; warnings collected in `warnings`, counts of skipped files in `skipped`."""

    options: WalkOptions = field(default_factory=WalkOptions)
    warnings: list[ScanWarning] = field(default_factory=list)
    skipped: int = 0
    _visited: set[tuple[int, int]] = field(default_factory=set)
    split_visited: set[tuple[int, int]] = field(default_factory=set)
    """Directories (device, inode) entered after the split point of a partial walk."""
    split_warnings: int | None = None
    """How many of `warnings` were recorded before the split point of a partial walk (None
    when the walk never reached one)."""
    replays: Sequence[DirIndex | None] = ()
    """Per root index: the directory index a previous walk recorded (see `DirIndex`)."""
    record: bool = False
    """Record a `DirIndex` of each root in `recorded` (for the next walk's `replays`)."""
    recorded: dict[int, DirIndex] = field(default_factory=dict)
    started_ns: int = field(default_factory=time.time_ns)
    _seen_files: set[str] = field(default_factory=set)
    """Real paths of the files yielded so far, kept only when one of several roots is a file
    (so overlapping roots such as `a a/x.py` never yield one file twice)."""

    def walk(
        self, paths: Sequence[str | os.PathLike[str]], *, part: tuple[int, int] | None = None
    ) -> Iterator[WalkEntry]:
        """Yield every file under `paths` that is not ignored, in a deterministic order.

        See `walk_cached` for the parameters."""
        return self._walk(paths, part, bulk=False)  # type: ignore[return-value]

    def walk_cached(
        self, paths: Sequence[str | os.PathLike[str]], *, part: tuple[int, int] | None = None
    ) -> Iterator[WalkEntry | DirHit]:
        """Like `walk`, but a replayed directory whose files all match the stat facts its
        record holds, and which the cache marked as fully stored (`DirIndex`), comes as one
        `DirHit` instead of one entry per file.

        A path may be a file or a directory. Paths that do not exist are reported as warnings
        (the CLI checks them first and exits 2).

        `part=(i, n)` walks only the i-th of n slices of one directory root: the walk follows
        the root down to the first directory with two or more subdirectories (the split
        point) and takes the i-th contiguous slice of them; files before and at the split
        point belong to slice 0. The slices, concatenated in order, are exactly the full walk
        provided no directory is reached from two slices (compare `split_visited`).
        """
        return self._walk(paths, part, bulk=True)

    def _walk(
        self, paths: Sequence[str | os.PathLike[str]], part: tuple[int, int] | None, bulk: bool
    ) -> Iterator[WalkEntry | DirHit]:
        roots = [os.path.abspath(os.fspath(p)) for p in paths]
        many = len(roots) > 1
        # NOTE: directories are entered once whatever the roots (`_visited`); only a file
        # given as a root can also be reached through a directory root.
        track = many and any(os.path.isfile(r) for r in roots)
        for index, (given, root) in enumerate(zip(paths, roots, strict=True)):
            # A root named with bytes that are not UTF-8 is shown with `?` in their place.
            label = _printable(_label(os.fspath(given))) if many else ""
            shown = _printable(label or _label(os.fspath(given)))
            try:
                st = os.stat(root)
            except OSError as exc:
                self.warnings.append(ScanWarning(_label(os.fspath(given)), _oserror(exc)))
                continue
            if stat.S_ISREG(st.st_mode):
                if track:
                    real = os.path.realpath(root)
                    if real in self._seen_files:
                        self.warnings.append(ScanWarning(shown, _OVERLAP))
                        continue
                    self._seen_files.add(real)
                name = label or os.path.basename(root)
                yield WalkEntry(name, root, st.st_size, st.st_mtime_ns, st.st_ino, index)
                continue
            if not stat.S_ISDIR(st.st_mode):
                self.warnings.append(ScanWarning(shown, "not a regular file or directory: skipped"))
                continue
            if (st.st_dev, st.st_ino) in self._visited:
                # `aims scan a a/b`: a/b was walked as part of a; again would scan it twice.
                self.warnings.append(ScanWarning(shown, _OVERLAP))
                continue
            top = _repo_top(root)
            top_rel = os.path.relpath(root, top).replace(os.sep, "/") if top != root else ""
            if top_rel in ("", "."):
                top_rel = ""
            else:
                top_rel += "/"
            walked = self._walk_root(_Root(root, label, top, top_rel), index, part, bulk)
            if not track:
                yield from walked
                continue
            for item in walked:
                if isinstance(item, WalkEntry):
                    real = os.path.realpath(item.abspath)
                    if real in self._seen_files:
                        continue  # a file also given as a root of its own
                    self._seen_files.add(real)
                yield item

    def walk_only(self, root: str, relpaths: Iterable[str]) -> Iterator[WalkEntry]:
        """Yield the given files under one directory root without walking the whole tree.

        Used by diff mode, where git already listed the changed files (and left out ignored
        untracked ones): each path is checked against the skip rules (version control, aims'
        own files, vendored trees unless included) and must be a regular file inside the root.
        Missing files (deleted since) are passed over silently.
        """
        base = os.path.abspath(root)
        base_real = os.path.realpath(base)
        for rel in sorted(set(relpaths)):
            parts = rel.split("/")
            if not rel or any(p in ("", ".", "..") for p in parts):
                continue
            if parts[-1] in AIMS_OWN_FILES or any(p in ALWAYS_SKIPPED_DIRS for p in parts[:-1]):
                continue
            if not self.options.include_vendored and self._under_vendored(base, parts[:-1]):
                continue
            path = os.path.join(base, *parts)
            try:
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    real = os.path.realpath(path)
                    if not real.startswith(base_real + os.sep):
                        continue
                    st = os.stat(real)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                yield WalkEntry(rel, path, st.st_size, st.st_mtime_ns, st.st_ino, 0)

    @staticmethod
    def _under_vendored(base: str, dirs: list[str]) -> bool:
        current = base
        for name in dirs:
            try:
                siblings = set(os.listdir(current))
            except OSError:
                return False
            if _is_vendored(name, siblings):
                return True
            current = os.path.join(current, name)
            try:
                if _MARKER_FILES & set(os.listdir(current)):
                    return True
            except OSError:
                return False
        return False

    # -- internals -------------------------------------------------------------------------

    def _initial_frames(self, root: _Root) -> list[_IgnoreFrame]:
        frames: list[_IgnoreFrame] = []
        if not self.options.honour_gitignore:
            return frames
        spec = self._load_spec(_exclude_file(root.top), root)
        if spec is not None:
            frames.append(_IgnoreFrame("", spec, _any_pattern(spec)))
        # .gitignore files of the directories between the repository top and the scan root.
        parts = root.top_rel.rstrip("/").split("/") if root.top_rel else []
        for depth in range(len(parts)):
            prefix = "/".join(parts[:depth])
            directory = os.path.join(root.top, *parts[:depth])
            spec = self._load_spec(os.path.join(directory, ".gitignore"), root)
            if spec is not None:
                frames.append(
                    _IgnoreFrame(prefix + "/" if prefix else "", spec, _any_pattern(spec))
                )
        return frames

    def _load_spec(self, path: str, root: _Root) -> pathspec.GitIgnoreSpec | None:
        try:
            with open(path, "rb") as handle:
                raw = handle.read(1024 * 1024)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            self.warnings.append(ScanWarning(self._rel_for(path, root), _oserror(exc)))
            return None
        lines = raw.decode("utf-8", errors="replace").splitlines()
        lines = [line for line in lines if line.strip() and not line.startswith("#")]
        if not lines:
            return None
        try:
            return _make_spec(lines)
        except Exception as exc:  # a malformed pattern must not stop the scan
            self.warnings.append(ScanWarning(self._rel_for(path, root), f"bad ignore file: {exc}"))
            return None

    @staticmethod
    def _rel_for(path: str, root: _Root) -> str:
        rel = os.path.relpath(path, root.path).replace(os.sep, "/")
        return f"{root.label}/{rel}" if root.label else rel

    def _walk_root(
        self, root: _Root, index: int, part: tuple[int, int] | None, bulk: bool
    ) -> Iterator[WalkEntry | DirHit]:
        try:
            st = os.stat(root.path)
            self._visited.add((st.st_dev, st.st_ino))
        except OSError:
            pass
        frames = self._initial_frames(root)
        if root.top_rel and frames and _ignored(frames, root.top_rel):
            # The user asked for a folder the enclosing repository ignores (say, a project
            # under a home-directory dotfiles repository that ignores `*`): scan it on its own.
            frames = []
        replay = self.replays[index] if index < len(self.replays) else None
        facts = ""
        if (replay is not None or self.record) and self.options.honour_gitignore:
            facts = _frames_facts(root)
        if replay is not None and replay.get("frames") != facts:
            replay = None  # an ignore file above the scan root changed: list everything
        known: dict[str, list[Any]] = replay["dirs"] if replay is not None else {}
        recording: dict[str, list[Any]] | None = None
        if self.record:
            recording = {}
            self.recorded[index] = {"frames": facts, "prefix": root.label, "dirs": recording}
        racy = self.started_ns - RACY_WINDOW_NS
        # Stack of (absolute dir, path relative to root ('' or ending '/'), ignore frames,
        # whether the directory index may be trusted below this point).
        stack: list[tuple[str, str, list[_IgnoreFrame], bool]] = [(root.path, "", frames, True)]
        honour = self.options.honour_gitignore
        label_prefix = root.label + "/" if root.label else ""
        presplit = part is not None
        mute = part is not None and part[0] > 0  # files before the split belong to slice 0
        while stack:
            directory, rel, frames, trusted = stack.pop()
            dst: os.stat_result | None = None
            if recording is not None or (trusted and rel in known):
                try:
                    dst = os.stat(directory)
                except OSError:
                    dst = None
            record = known.get(rel) if trusted else None
            ignore_facts = ""
            if honour and dst is not None:
                ignore_facts = _file_facts(os.path.join(directory, ".gitignore"))
            if (
                record is not None
                and dst is not None
                and record[5]
                and record[0] == dst.st_mtime_ns
                and record[1] == dst.st_ino
                and dst.st_mtime_ns < racy
                and record[2] == ignore_facts
            ):
                # NOTE: the directory's mtime moves whenever an entry is added, removed or
                # renamed, so its names, and with the same ignore files every decision made
                # on them, are as last time: only the files' own stat facts can have changed.
                if ignore_facts:
                    load = functools.partial(
                        self._load_spec, os.path.join(directory, ".gitignore"), root
                    )
                    frames = [*frames, _IgnoreFrame(root.top_rel + rel, None, None, load)]
                prefix = directory + os.sep
                if not mute:
                    names: list[str] = record[3]
                    found: list[os.stat_result | OSError]
                    try:
                        found = list(map(os.lstat, [prefix + name for name in names]))
                    except OSError:
                        found = []  # one is gone or unreadable: say which, one by one
                        for name in names:
                            try:
                                found.append(os.lstat(prefix + name))
                            except OSError as exc:
                                found.append(exc)
                    now = ";".join(
                        [
                            f"{f.st_size if f.st_mtime_ns < racy else -1}:{f.st_mtime_ns}:{f.st_ino}"
                            if isinstance(f, os.stat_result) and stat.S_ISREG(f.st_mode)
                            else "?"
                            for f in found
                        ]
                    )
                    if now != record[6]:
                        record = [*record[:6], now, None]  # the cache re-marks it when saved
                    elif bulk and record[7] is not None:
                        yield DirHit(label_prefix + rel, names, record[7][0], record[7][1], index)
                        found = []
                    for name, fst in zip(names, found, strict=False):
                        if isinstance(fst, OSError):
                            self.warnings.append(
                                ScanWarning(label_prefix + rel + name, _oserror(fst))
                            )
                        elif stat.S_ISREG(fst.st_mode):
                            yield WalkEntry(
                                label_prefix + rel + name,
                                prefix + name,
                                fst.st_size,
                                fst.st_mtime_ns,
                                fst.st_ino,
                                index,
                            )
                if recording is not None:
                    recording[rel] = record
                subdirs: list[tuple[str, str, list[_IgnoreFrame], bool]] = []
                for name, dev, ino in record[4]:
                    key = (dev, ino)
                    if key in self._visited:
                        continue
                    self._visited.add(key)
                    if not presplit:
                        self.split_visited.add(key)
                    subdirs.append((prefix + name, rel + name + "/", frames, True))
            else:
                warned = len(self.warnings)
                # Below a directory whose ignore file changed, nothing recorded can be trusted.
                keep = trusted and record is not None and record[2] == ignore_facts
                subdirs = []
                files: list[str] | None = [] if recording is not None and not mute else None
                facts_of: list[str] = []
                seen: list[list[Any]] = []
                linked = False
                listing = self._list(
                    directory,
                    rel,
                    frames,
                    root,
                    index,
                    keep,
                    label_prefix,
                    mute,
                    presplit,
                    subdirs,
                    files,
                    seen,
                )
                for item in listing:
                    if item is None:
                        linked = True
                        continue
                    if files is not None:
                        size = -1 if item.mtime_ns >= racy else item.size
                        facts_of.append(f"{size}:{item.mtime_ns}:{item.inode}")
                    yield item
                if (
                    recording is not None
                    and files is not None
                    and dst is not None
                    and len(self.warnings) == warned
                ):
                    replayable = not linked and dst.st_mtime_ns < racy
                    recording[rel] = [
                        dst.st_mtime_ns,
                        dst.st_ino,
                        ignore_facts,
                        files,
                        seen,
                        int(replayable),
                        ";".join(facts_of),
                        None,
                    ]
            if presplit and part is not None and len(subdirs) >= 2:
                presplit = mute = False
                count = len(subdirs)
                subdirs = subdirs[count * part[0] // part[1] : count * (part[0] + 1) // part[1]]
                self.split_warnings = len(self.warnings)
                for sub in subdirs:
                    try:
                        sst = os.stat(sub[0])
                    except OSError:
                        continue
                    self.split_visited.add((sst.st_dev, sst.st_ino))
            # Depth-first, in name order: push in reverse so the first name is popped first.
            stack.extend(reversed(subdirs))

    def _push_frame(
        self, frames: list[_IgnoreFrame], directory: str, rel: str, root: _Root
    ) -> list[_IgnoreFrame]:
        spec = self._load_spec(os.path.join(directory, ".gitignore"), root)
        if spec is None:
            return frames
        return [*frames, _IgnoreFrame(root.top_rel + rel, spec, _any_pattern(spec))]

    def _list(
        self,
        directory: str,
        rel: str,
        frames: list[_IgnoreFrame],
        root: _Root,
        index: int,
        trusted: bool,
        label_prefix: str,
        mute: bool,
        presplit: bool,
        subdirs: list[tuple[str, str, list[_IgnoreFrame], bool]],
        files: list[str] | None,
        seen: list[list[Any]],
    ) -> Iterator[WalkEntry | None]:
        """List one directory the slow way: yield its files (None marks a symbolic link).

        Fills `subdirs` with the directories to walk, `files` with the names yielded and
        `seen` with every subdirectory that passed the skip rules ([name, dev, inode]).
        """
        include_vendored = self.options.include_vendored
        honour = self.options.honour_gitignore
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=_entry_name)
        except OSError as exc:
            self.warnings.append(
                ScanWarning(label_prefix + (rel.rstrip("/") or "."), _oserror(exc))
            )
            return
        names = {e.name for e in entries}
        if rel and not include_vendored and not names.isdisjoint(_MARKER_FILES):
            return  # a virtual environment, a tagged cache or a CMake build tree
        if honour and ".gitignore" in names:
            frames = self._push_frame(frames, directory, rel, root)
        for entry in entries:
            name = entry.name
            entry_rel = rel + name
            try:
                is_link = entry.is_symlink()
                if is_link:
                    yield None
                    target = self._follow_link(entry, root, label_prefix + entry_rel)
                    if target is None:
                        continue
                    is_dir = stat.S_ISDIR(target.st_mode)
                    est: os.stat_result | None = target
                else:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    est = None
            except OSError as exc:
                self.warnings.append(ScanWarning(label_prefix + entry_rel, _oserror(exc)))
                continue
            if is_dir:
                if name in ALWAYS_SKIPPED_DIRS:
                    continue
                if not name.isascii() and _has_surrogates(name):
                    # NOTE: paths are written as UTF-8 everywhere (JSON, SARIF, the cache); one
                    # that cannot be would fail the whole report, so the folder is left out.
                    self.warnings.append(
                        ScanWarning(
                            _printable(label_prefix + entry_rel),
                            "directory name is not valid UTF-8: skipped",
                        )
                    )
                    continue
                if not include_vendored and _is_vendored(name, names):
                    continue
                if frames and _ignored(frames, root.top_rel + entry_rel + "/"):
                    continue
                try:
                    dst = est if est is not None else entry.stat(follow_symlinks=False)
                except OSError as exc:
                    self.warnings.append(ScanWarning(label_prefix + entry_rel, _oserror(exc)))
                    continue
                key = (dst.st_dev, dst.st_ino)
                seen.append([name, dst.st_dev, dst.st_ino])
                if key in self._visited:
                    if is_link:
                        self.warnings.append(
                            ScanWarning(
                                label_prefix + entry_rel,
                                "symbolic link to a directory already scanned: skipped",
                            )
                        )
                    continue
                self._visited.add(key)
                if not presplit:
                    self.split_visited.add(key)
                subdirs.append((entry.path, entry_rel + "/", frames, trusted))
                continue
            if mute or name in AIMS_OWN_FILES or name in ALWAYS_SKIPPED_DIRS:
                continue  # `.git` is a file in a linked worktree or a submodule
            if frames and _ignored(frames, root.top_rel + entry_rel):
                continue
            try:
                fst = est if est is not None else entry.stat(follow_symlinks=False)
            except OSError as exc:
                self.warnings.append(ScanWarning(label_prefix + entry_rel, _oserror(exc)))
                continue
            relpath = label_prefix + entry_rel
            if not stat.S_ISREG(fst.st_mode):
                # Sockets, FIFOs, devices: never read (opening a FIFO would block).
                self.warnings.append(ScanWarning(_printable(relpath), _SPECIAL))
                self.skipped += 1
                continue
            if not name.isascii() and _has_surrogates(relpath):
                self.warnings.append(
                    ScanWarning(_printable(relpath), "file name is not valid UTF-8: skipped")
                )
                self.skipped += 1
                continue
            if files is not None:
                files.append(name)
            yield WalkEntry(relpath, entry.path, fst.st_size, fst.st_mtime_ns, fst.st_ino, index)

    def _follow_link(
        self, entry: os.DirEntry[str], root: _Root, shown: str
    ) -> os.stat_result | None:
        try:
            real = os.path.realpath(entry.path)
            target = os.stat(real)
        except OSError:
            self.warnings.append(ScanWarning(shown, "broken symbolic link: skipped"))
            return None
        root_real = os.path.realpath(root.path)
        if real != root_real and not real.startswith(root_real + os.sep):
            self.warnings.append(
                ScanWarning(shown, "symbolic link points outside the scan root: skipped")
            )
            return None
        return target


def _file_facts(path: str) -> str:
    """`size:mtime_ns:inode` of a file, or '' when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _frames_facts(root: _Root) -> str:
    """Stat facts of every ignore file that applies above the scan root."""
    paths = [_exclude_file(root.top)]
    parts = root.top_rel.rstrip("/").split("/") if root.top_rel else []
    paths += [os.path.join(root.top, *parts[:depth], ".gitignore") for depth in range(len(parts))]
    return "|".join(_file_facts(path) for path in paths)


_OVERLAP = "already scanned as part of another path given: skipped"
_SPECIAL = "not a regular file (FIFO, socket or device): skipped"


def _printable(path: str) -> str:
    """The path with undecodable bytes (surrogate escapes) as `?`, safe to write as UTF-8."""
    return path.encode("utf-8", "replace").decode("utf-8")


def _entry_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _label(path: str) -> str:
    label = Path(path).as_posix()
    while label.startswith("./"):
        label = label[2:]
    return label.rstrip("/") or "."


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _oserror(exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return f"cannot read: {reason}"


def _ignored(frames: list[_IgnoreFrame], path: str) -> bool:
    """Apply ignore files deepest first: the deepest file with a matching pattern decides."""
    for frame in reversed(frames):
        if frame.prefix:
            if not path.startswith(frame.prefix):
                continue
            sub = path[len(frame.prefix) :]
        else:
            sub = path
        if frame.pending is not None:
            frame.spec = frame.pending()
            frame.any_pattern = _any_pattern(frame.spec) if frame.spec is not None else None
            frame.pending = None
        if frame.spec is None:
            continue
        if frame.any_pattern is not None and frame.any_pattern.match(sub) is None:
            continue
        result = frame.spec.check_file(sub)
        if result.include is not None:
            return bool(result.include)
    return False


def _is_vendored(name: str, siblings: set[str]) -> bool:
    """Decide from a directory's name and its siblings' names (no extra system calls)."""
    if name in VENDORED_DIRS:
        return True
    if name == "build":
        # Output of setuptools, Gradle, CMake, Create React App, ... when their build file
        # sits next to it; otherwise `build/` may be real sources (build logic) and is scanned.
        return bool(siblings & _BUILD_MARKERS)
    if name == "target":
        return bool(siblings & _TARGET_MARKERS)  # Cargo, Maven, sbt, Leiningen output
    return False


_MARKER_FILES = frozenset({"pyvenv.cfg", "CACHEDIR.TAG", "CMakeCache.txt"})
"""A directory holding one of these is a virtual environment, a cache or a CMake build tree."""


def _exclude_file(top: str) -> str:
    """Return the path of the repository's `info/exclude` file (which may not exist).

    In a linked worktree or a submodule `.git` is a file (`gitdir: <path>`) pointing at the
    real git directory; a worktree's git directory names the shared one in `commondir`, and
    `info/exclude` lives there (git-worktree(1), gitrepository-layout(5)).
    """
    dotgit = os.path.join(top, ".git")
    if not os.path.isfile(dotgit):
        return os.path.join(dotgit, "info", "exclude")
    gitdir = dotgit
    try:
        with open(dotgit, encoding="utf-8", errors="replace") as handle:
            first = handle.readline(4096).strip()
        if first.startswith("gitdir:"):
            gitdir = os.path.join(top, first[len("gitdir:") :].strip())
            with open(os.path.join(gitdir, "commondir"), encoding="utf-8") as handle:
                gitdir = os.path.join(gitdir, handle.readline(4096).strip())
    except (OSError, ValueError):
        pass  # no `commondir`: a submodule's own git directory, or an unreadable file
    if "\0" in gitdir:
        return os.path.join(dotgit, "info", "exclude")  # not a path: read as absent
    return os.path.join(gitdir, "info", "exclude")


def _repo_top(root: str) -> str:
    """Return the nearest directory at or above `root` holding `.git`, else `root`."""
    current = root
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return root
        current = parent


# -- reading --------------------------------------------------------------------------------


def model_format(name: str, head: bytes) -> str | None:
    """Return the model format a file's name or first bytes show (`gguf`, `onnx`, ...), or None.

    Recognised: GGUF/GGML, safetensors, ONNX, PyTorch (`.pt`, `.pth`, `.ckpt`, and `.bin` with
    a zip or pickle header), Keras/HDF5 (`.h5`, `.hdf5`, `.keras`), TFLite, TensorFlow
    SavedModel (`saved_model.pb`) and pickled models (`.pkl`, `.pickle`, `.joblib`). Magic numbers are honoured whatever the extension.
    """
    lower = name.lower()
    if lower in _SAVEDMODEL_NAMES:
        return "savedmodel"
    dot = lower.rfind(".")
    ext = lower[dot:] if dot >= 0 else ""
    fmt = _MODEL_EXTENSIONS.get(ext)
    if fmt is not None:
        return fmt
    if head.startswith(b"GGUF"):
        return "gguf"
    if head.startswith(_HDF5_MAGIC):
        return "keras"
    if head[4:8] == b"TFL3":
        return "tflite"
    if _looks_like_safetensors(head):
        return "safetensors"
    if ext == ".bin" and (head.startswith(b"PK\x03\x04") or head[:1] == b"\x80"):
        return "pytorch"  # torch.save writes a zip archive (new) or a pickle stream (legacy)
    return None


def _looks_like_safetensors(head: bytes) -> bool:
    if len(head) < 10:
        return False
    length = int.from_bytes(head[:8], "little")
    return 2 <= length <= 100_000_000 and head[8:10] in (b'{"', b"{ ")


@dataclass(slots=True)
class ReadResult:
    """What `read_file` found: the bytes to scan, or why the file is skipped."""

    data: bytes | None
    size: int
    model: str | None = None
    """Model format when the file is a model file (then `data` is only its header)."""
    skip_reason: str | None = None
    """Why the file is not scanned (binary, too large); `warning` says if the user is told."""
    warning: str | None = None


def _open_nonblocking(path: str, flags: int) -> int:
    """Open without blocking: opening a FIFO for reading otherwise waits for a writer."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_file(abspath: str, name: str, size: int, max_file_size: int) -> ReadResult:
    """Read a file for scanning: whole text files, model headers, nothing for binaries.

    Jupyter notebooks get `NOTEBOOK_SIZE_FACTOR` times `max_file_size`, lock files at least
    `LOCK_FILE_SIZE`. Raises `OSError` when the file cannot be opened or vanished; the engine
    turns that into a warning.
    """
    fmt_by_name = model_format(name, b"")
    if name.lower().endswith(".ipynb"):
        max_file_size *= NOTEBOOK_SIZE_FACTOR
    elif name in LOCK_FILE_NAMES:
        max_file_size = max(max_file_size, LOCK_FILE_SIZE)
    with open(abspath, "rb", opener=_open_nonblocking) as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            # Replaced by a FIFO, socket or device since the walk: reading could block forever.
            raise OSError(errno.EINVAL, "not a regular file")
        if fmt_by_name is not None and fmt_by_name != "savedmodel":
            head = handle.read(MODEL_HEADER_SIZE)
            return ReadResult(head, opened.st_size, model=fmt_by_name)
        if size > max_file_size:
            head = handle.read(BINARY_SNIFF_SIZE)
            fmt = model_format(name, head[:16])
            if fmt is not None:
                head += handle.read(MODEL_HEADER_SIZE - len(head))
                return ReadResult(head, size, model=fmt)
            if b"\0" in head:
                # A large image or archive is not text the user expects scanned: no warning.
                return ReadResult(None, size, skip_reason="binary")
            return ReadResult(
                None,
                size,
                skip_reason="too large",
                warning=f"larger than the size limit ({size} > {max_file_size} bytes): skipped "
                "(raise it with --max-file-size)",
            )
        # NOTE: read what stat promised plus one byte, never `max_file_size + 1`: asking for
        # 2 MiB allocates 2 MiB per file, which made reading ten times slower.
        data = handle.read(size + 1)
        if len(data) > size:  # the file grew since the walk: read on up to the limit
            data += handle.read(max_file_size + 1 - len(data))
    if len(data) > max_file_size:  # grew while we looked
        return ReadResult(
            None,
            len(data),
            skip_reason="too large",
            warning=f"larger than the size limit ({max_file_size} bytes): skipped",
        )
    if fmt_by_name == "savedmodel":
        return ReadResult(data[:MODEL_HEADER_SIZE], len(data), model="savedmodel")
    if data.find(b"\0", 0, BINARY_SNIFF_SIZE) != -1:
        fmt = model_format(name, data[:16])
        if fmt is not None:
            return ReadResult(data[:MODEL_HEADER_SIZE], len(data), model=fmt)
        return ReadResult(None, len(data), skip_reason="binary")
    return ReadResult(data, len(data))


def hash_file(path: str | os.PathLike[str], *, chunk_size: int = 1024 * 1024) -> str:
    """Return the SHA-256 hex digest of a whole file, read in chunks (never all in memory).

    Raises `OSError` when the file cannot be read. The model-file detector uses it to hash model
    files whose content the engine only partly reads (`ScanFile.abspath`).
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
