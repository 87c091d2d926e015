"""The scan cache: per-file detector results, keyed by content hash and by stat facts.

Two files per scan root and configuration live under `$XDG_CACHE_HOME/aims` (else
`~/.cache/aims`). Their name hashes the root's absolute path and everything that can change a
result: detector names and versions, the catalog's content, the aims version and the scan
options that matter. `<key>.json` holds the detectors' non-empty results and the directory
index of the last walk (`walker.DirIndex`); `<key>.filemap` maps each relative path to its
size, mtime, inode and content hash. A file whose stat facts are unchanged is not even
opened; one whose content hash is unchanged is not re-examined; a directory whose files are
all unchanged is served whole, without reading the file map.

Only what detectors returned is stored (their evidence is already redacted): never file
content. Writes go to temporary files renamed into place (the file map first; both carry
the same generation, so a cache file is never paired with another save's file map), so
concurrent runs never see half a cache; an unreadable or corrupt cache is dropped and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from aims import __version__
from aims.findings import Confidence, Finding, Location, Severity, Suppression
from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors.base import DetectResult
from aims.scanner.walker import DirIndex

log = logging.getLogger("aims.scanner.cache")

CACHE_FORMAT = 5
"""Bumped whenever the layout of cache files changes."""
RACY_WINDOW_NS = 2_000_000_000
"""Files modified this close to the scan's start are not trusted by stat alone next time."""


def default_cache_dir() -> Path:
    """Return `$XDG_CACHE_HOME/aims`, or `~/.cache/aims` when the variable is unset."""
    base = os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "aims" if base else Path.home() / ".cache" / "aims"


def config_key(parts: list[str]) -> str:
    """Hash everything besides a file's content that can change its result."""
    text = "\0".join([f"format={CACHE_FORMAT}", f"aims={__version__}", *parts])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def content_hash(data: bytes) -> str:
    """Return the content key of a file's scanned bytes."""
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass(slots=True)
class CacheEntry:
    """What the cache knows about one file."""

    size: int
    mtime_ns: int
    inode: int
    digest: str
    """Content hash of the bytes examined ('' when the file was skipped before reading)."""
    result: dict[str, Any] | None
    """Serialised `DetectResult` (`{}` when empty), or None when it could not be cached."""
    read: bool = True
    """False when the file was skipped without reading it (binary, too large)."""


def _pack(entry: CacheEntry) -> str:
    return f"{entry.size}:{entry.mtime_ns}:{entry.inode}:{entry.digest}:{int(entry.read)}"


@dataclass(slots=True)
class ScanCache:
    """The cache of one scan root under one configuration.

    In the file map, each file is one string `size:mtime_ns:inode:digest:read` (cheap to load:
    100,000 files decode as 100,000 strings, not 600,000 objects); only non-empty results are
    stored, in the cache file.
    """

    path: Path
    file_map: dict[str, str] | None = None
    """Stat facts and content hash per file (`entries`), loaded from its own file when first
    needed: a rescan that serves whole directories (`walker.DirHit`) never needs it."""
    entry_count: int = 0
    generation: str = ""
    """Written into both files of a cache, so a file map from another save is never used."""
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    fresh: dict[str, str] = field(default_factory=dict)
    """Entries seen in this run: only these are written back, so deleted files drop out."""
    fresh_results: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    """Small facts derived from the catalog (provider display names), valid for this key."""
    index: DirIndex | None = None
    """The directory index of the last full walk of this root (`walker.DirIndex`)."""
    fresh_index: DirIndex | None = None
    unchanged: list[list[str]] = field(default_factory=list)
    """Files marked unchanged in bulk, added to `fresh` only if the cache is written."""
    unchanged_dirs: list[tuple[str, list[str]]] = field(default_factory=list)
    """Directories whose files are all unchanged: (prefix, names), like `unchanged`."""
    unchanged_count: int = 0
    unwanted: set[str] = field(default_factory=set)
    """Files no detector wants: `wants()` decides from the path alone, and the detector set is
    part of the cache key, so a rescan skips them without importing the detectors."""
    fresh_unwanted: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, cache_dir: Path, root: str, key: str) -> ScanCache:
        """Load the cache of `root` (absolute path) for configuration `key`.

        A missing cache is empty; an unreadable or corrupt one is logged (at -v) and ignored.
        """
        root_id = hashlib.sha256(os.path.abspath(root).encode("utf-8", "replace")).hexdigest()
        path = cache_dir / root_id[:24] / f"{key}.json"
        cache = cls(path=path, file_map={})
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cache
        except OSError as exc:
            log.info("cache %s unreadable, rebuilding: %s", path, exc)
            return cache
        try:
            document = orjson.loads(raw)
            if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
                raise ValueError("other cache format")
            results = document["results"]
            meta = document.get("meta", {})
            generation = document["generation"]
            count = document["count"]
            if not (isinstance(results, dict) and isinstance(generation, str)):
                raise ValueError("malformed cache")
            if type(count) is not int:
                raise ValueError("malformed cache")
            cache.results = results
            cache.meta = meta if isinstance(meta, dict) else {}
            cache.index = _checked_index(document.get("index"), results)
            cache.generation = generation
            cache.entry_count = count
            unwanted = document.get("unwanted", [])
            if isinstance(unwanted, list) and set(map(type, unwanted)) <= {str}:
                cache.unwanted = set(unwanted)
            cache.file_map = None  # loaded on first use
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("cache %s is corrupt, rebuilding: %s", path, exc)
            cache.dirty = True
        return cache

    @property
    def files_path(self) -> Path:
        """Where the file map of this cache lives, beside the cache file."""
        return self.path.with_suffix(".filemap")

    @property
    def entries(self) -> dict[str, str]:
        """`relative path -> "size:mtime_ns:inode:digest:read"` for every stored file."""
        if self.file_map is None:
            self.file_map = self._load_file_map()
        return self.file_map

    def _load_file_map(self) -> dict[str, str]:
        try:
            document = orjson.loads(self.files_path.read_bytes())
            if not isinstance(document, dict) or document.get("generation") != self.generation:
                raise ValueError("from another save")
            entries = document["files"]
            # NOTE: only the types are checked here (in C); a malformed string never matches a
            # file's stat facts, so it costs a re-examination, never a wrong result.
            if not isinstance(entries, dict) or not set(map(type, entries.values())) <= {str}:
                raise ValueError("malformed")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.info("cache file map %s unusable, files are examined again: %s", self.path, exc)
            self.dirty = True
            return {}
        return entries

    def by_stat(
        self, relpath: str, size: int, mtime_ns: int, inode: int
    ) -> tuple[bool, dict[str, Any]] | None:
        """Return (was read, stored result) when size, mtime and inode are unchanged."""
        packed = self.entries.get(relpath)
        if packed is None or not packed.startswith(f"{size}:{mtime_ns}:{inode}:"):
            return None
        result = self.results.get(relpath, _EMPTY)
        self.fresh[relpath] = packed
        if result:
            self.fresh_results[relpath] = result
        return packed.endswith(":1"), result

    def mark_unchanged(self, relpaths: list[str], with_results: list[str]) -> list[dict[str, Any]]:
        """Record files whose stat facts matched (`relpaths`, all in `entries`) as seen.

        The bulk form of `by_stat` for a walk done elsewhere (another process), which also
        listed the files among them that have a stored result (`with_results`). Returns
        those non-empty results.
        """
        if relpaths:
            self.unchanged.append(relpaths)
            self.unchanged_count += len(relpaths)
        stored: list[dict[str, Any]] = []
        for relpath in with_results:
            result = self.results[relpath]
            self.fresh_results[relpath] = result
            stored.append(result)
        return stored

    def mark_unchanged_dirs(self, dirs: list[tuple[str, list[str]]]) -> None:
        """Record whole directories of unchanged files (`walker.DirHit`) as seen."""
        self.unchanged_dirs.extend(dirs)
        self.unchanged_count += sum(len(names) for _, names in dirs)

    def digest_of(self, relpath: str) -> str | None:
        """Return the known content hash of a file whose stat facts changed, if any."""
        packed = self.entries.get(relpath)
        if packed is None:
            return None
        fields = packed.split(":", 4)
        return (fields[3] or None) if len(fields) == 5 else None

    def result_of(self, relpath: str) -> dict[str, Any] | None:
        """Return the stored result of a file (used after its content hash matched)."""
        if relpath not in self.entries:
            return None
        stored: dict[str, Any] = self.results.get(relpath, _EMPTY)
        return stored

    def store(self, relpath: str, entry: CacheEntry, *, scan_start_ns: int) -> None:
        """Record a file's result for the next run (a None result is not cacheable)."""
        if entry.result is None:
            return
        if entry.mtime_ns >= scan_start_ns - RACY_WINDOW_NS:
            # NOTE: a file written in the same clock tick as this scan could change again
            # without its mtime moving ("racy git"); make the next run check its content.
            entry = CacheEntry(-1, entry.mtime_ns, entry.inode, entry.digest, entry.result)
        self.fresh[relpath] = _pack(entry)
        if entry.result:
            self.fresh_results[relpath] = entry.result
        else:
            self.fresh_results.pop(relpath, None)
        self.dirty = True

    def set_index(self, index: DirIndex | None) -> None:
        """Keep the directory index of this run's full walk (None: no full walk was done)."""
        self.fresh_index = index

    def save(self) -> None:
        """Write the entries seen in this run atomically; errors are logged, never raised."""
        index = self.fresh_index if self.fresh_index is not None else self.index
        seen = len(self.fresh) + self.unchanged_count
        count = len(self.file_map) if self.file_map is not None else self.entry_count
        same_unwanted = self.fresh_unwanted == self.unwanted
        if not self.dirty and seen == count and index == self.index and same_unwanted:
            return
        entries = self.entries
        for relpaths in self.unchanged:
            self.fresh.update(zip(relpaths, map(entries.__getitem__, relpaths), strict=True))
        for prefix, names in self.unchanged_dirs:
            paths = [prefix + name for name in names]
            self.fresh.update((path, entries[path]) for path in paths if path in entries)
        self.unchanged.clear()
        self.unchanged_dirs.clear()
        self.unchanged_count = 0
        if index is not None:
            index = _marked(index, self.fresh, self.fresh_results)
        generation = os.urandom(8).hex()
        document = {
            "format": CACHE_FORMAT,
            "generation": generation,
            "count": len(self.fresh),
            "meta": self.meta,
            "results": self.fresh_results,
            "index": index,
            "unwanted": sorted(self.fresh_unwanted),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # The file map first: a cache file is only ever paired with its own file map.
            _write_atomic(self.files_path, {"generation": generation, "files": self.fresh})
            _write_atomic(self.path, document)
        except OSError as exc:
            log.info("cannot write cache %s: %s", self.path, exc)


def _write_atomic(path: Path, document: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(orjson.dumps(document, option=orjson.OPT_SORT_KEYS))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_EMPTY: dict[str, Any] = {}


def _marked(index: DirIndex, files: dict[str, str], results: dict[str, Any]) -> DirIndex:
    """Mark each directory record whose files are all stored with exactly its stat facts.

    A marked directory that is unchanged next time is served whole (`walker.DirHit`). Records
    already marked stay marked: their files were served from the cache, unchanged.
    """
    prefix = index.get("prefix") or ""
    prefix = prefix + "/" if prefix else ""
    dirs: dict[str, Any] = {}
    for rel, record in index["dirs"].items():
        if record[7] is None and record[5]:
            record = [*record[:7], _marks(prefix + rel, record[3], record[6], files, results)]
        dirs[rel] = record
    return {**index, "dirs": dirs}


def _marks(
    prefix: str, names: list[str], facts: str, files: dict[str, str], results: dict[str, Any]
) -> list[Any] | None:
    read = 0
    with_results: list[str] = []
    try:
        for name, fact in zip(names, facts.split(";") if names else [], strict=True):
            if fact.startswith(("-", "?")):
                return None  # changed within the racy window: its content is checked next time
            relpath = prefix + name
            packed = files.get(relpath)
            if packed is None or not packed.startswith(fact + ":"):
                return None
            if packed.endswith(":1"):
                read += 1
            if relpath in results:
                with_results.append(name)
    except (TypeError, ValueError, IndexError):
        return None  # a damaged record: the directory is listed file by file
    return [read, with_results]


def _checked_index(index: Any, results: dict[str, Any]) -> DirIndex | None:
    """Return a stored directory index when its shape is right, else None (walk it all).

    Marks must agree with the stored results: a marked directory is served without looking
    its files up one by one.
    """
    if not isinstance(index, dict) or not isinstance(index.get("frames"), str):
        return None
    dirs = index.get("dirs")
    label = index.get("prefix")
    if not isinstance(dirs, dict) or not isinstance(label, str):
        return None
    prefix = label + "/" if label else ""
    for rel, record in dirs.items():
        if not (
            isinstance(record, list)
            and len(record) == 8
            and type(record[0]) is int
            and type(record[1]) is int
            and isinstance(record[2], str)
            and isinstance(record[3], list)
            and set(map(type, record[3])) <= {str}
            and isinstance(record[4], list)
            and all(
                isinstance(sub, list)
                and len(sub) == 3
                and isinstance(sub[0], str)
                and type(sub[1]) is int
                and type(sub[2]) is int
                for sub in record[4]
            )
            and isinstance(record[6], str)
            and (record[6].count(";") + 1 if record[3] else 0) == len(record[3])
            and (record[6] != "" or not record[3])
            and _marks_ok(prefix + rel, record[7], results)
        ):
            return None
    return index


def _marks_ok(prefix: str, marks: Any, results: dict[str, Any]) -> bool:
    if marks is None:
        return True
    return (
        isinstance(marks, list)
        and len(marks) == 2
        and type(marks[0]) is int
        and isinstance(marks[1], list)
        and all(isinstance(n, str) and prefix + n in results for n in marks[1])
    )


# -- (de)serialisation of detector results --------------------------------------------------


def dump_result(result: DetectResult) -> dict[str, Any] | None:
    """Turn a `DetectResult` into JSON-ready data; None when something in it is not JSON.

    An empty result is stored as `{}` (most files), which `load_result` turns back quickly.
    """
    if not (result.components or result.findings or result.warnings):
        return {}
    document = {
        "c": [_dump_component(c) for c in result.components],
        "f": [_dump_finding(f) for f in result.findings],
        "w": [[w.path, w.message] for w in result.warnings],
    }
    try:
        json.dumps(document)
    except (TypeError, ValueError):
        return None
    return document


def load_result(document: dict[str, Any]) -> DetectResult:
    """Rebuild a `DetectResult` stored by `dump_result` (raises on malformed data)."""
    if not document:
        return DetectResult()
    return DetectResult(
        components=[_load_component(c) for c in document["c"]],
        findings=[_load_finding(f) for f in document["f"]],
        warnings=[ScanWarning(str(p), str(m)) for p, m in document["w"]],
    )


def _dump_component(c: Component) -> dict[str, Any]:
    return {
        "type": c.type.value,
        "name": c.name,
        "version": c.version,
        "ecosystem": c.ecosystem,
        "purl": c.purl,
        "provider": c.provider,
        "category": c.category,
        "direct": c.direct,
        "evidence": [[e.path, e.line, e.detector, e.snippet, e.commit] for e in c.evidence],
        "properties": c.properties,
    }


def _load_component(d: dict[str, Any]) -> Component:
    return Component(
        type=ComponentType(d["type"]),
        name=d["name"],
        version=d["version"],
        ecosystem=d["ecosystem"],
        purl=d["purl"],
        provider=d["provider"],
        category=d["category"],
        direct=d["direct"],
        evidence=[
            Evidence(p, line, det, snip, commit) for p, line, det, snip, commit in d["evidence"]
        ],
        properties=d["properties"],
    )


def _dump_location(loc: Location) -> list[Any]:
    return [loc.path, loc.line, loc.column, loc.end_line, loc.end_column, loc.commit]


def _load_location(row: list[Any]) -> Location:
    return Location(*row)


def _dump_finding(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "rule_name": f.rule_name,
        "message": f.message,
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "primary": _dump_location(f.primary),
        "fingerprint": f.fingerprint,
        "evidence": f.evidence,
        "related": [_dump_location(r) for r in f.related],
        "suppression": [f.suppression.source, f.suppression.reason] if f.suppression else None,
        "properties": f.properties,
    }


def _load_finding(d: dict[str, Any]) -> Finding:
    suppression = d["suppression"]
    return Finding(
        rule_id=d["rule_id"],
        rule_name=d["rule_name"],
        message=d["message"],
        severity=Severity(d["severity"]),
        confidence=Confidence(d["confidence"]),
        primary=_load_location(d["primary"]),
        fingerprint=d["fingerprint"],
        evidence=d["evidence"],
        related=tuple(_load_location(r) for r in d["related"]),
        suppression=Suppression(*suppression) if suppression else None,
        properties=d["properties"],
    )
