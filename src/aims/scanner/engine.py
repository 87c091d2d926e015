"""The scan engine: walks the roots, feeds each file to the detectors that want it, on all cores.

Per file: detectors whose `wants(relpath, name)` accepts the path (decided in the parent, so
files nobody wants are never opened), then one combined keyword prefilter over the lower-cased
content, then `detect()`. Work goes to a process pool in batches; each worker builds its
detectors' state once (pool initializer), never per task. Results are sorted at the end, so the
inventory does not depend on worker scheduling.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aims.errors import UsageError
from aims.inventory import Inventory, ScanStats, ScanWarning
from aims.scanner.assemble import assemble, providers_named
from aims.scanner.cache import (
    CacheEntry,
    ScanCache,
    config_key,
    content_hash,
    default_cache_dir,
    dump_result,
    load_result,
)
from aims.scanner.detectors.base import DetectContext, Detector, DetectResult, ScanFile
from aims.scanner.prefilter import Prefilter
from aims.scanner.suppressions import apply_inline_ignores
from aims.scanner.walker import (
    DEFAULT_MAX_FILE_SIZE,
    DirHit,
    DirIndex,
    WalkEntry,
    Walker,
    WalkOptions,
    read_file,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from aims.catalog.model import Catalog

log = logging.getLogger("aims.scanner")

ProgressCallback = Callable[[int, int], None]
"""Called with (files done, files found so far) as the scan advances."""

_BATCH_FILES = 128
_BATCH_BYTES = 8 * 1024 * 1024
_SERIAL_THRESHOLD = 256
"""Below this many files to read, a process pool costs more than it saves."""
_SPLIT_MIN_ENTRIES = 20_000
"""A cache this large makes the walk and stat look-ups of a rescan worth sharing with a child."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """How a scan runs. Every field has a CLI option and an `AIMS_*` variable."""

    jobs: int | None = None
    """Worker processes; None means one per CPU core."""
    include_vendored: bool = False
    """Also scan node_modules, virtual environments, vendor/, build output, ..."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """Text files larger than this many bytes are skipped with a warning."""
    use_cache: bool = True
    cache_dir: str | None = None
    """None means `$XDG_CACHE_HOME/aims` or `~/.cache/aims`."""
    only_paths: frozenset[str] | None = None
    """Scan only these relative paths (as the inventory shows them); used by `--diff-base`."""
    detectors: tuple[str, ...] | None = None
    """Run only the detectors with these names; None runs all."""
    reproducible: bool = False
    """Leave out the timestamp so identical trees give identical output."""
    ignores: bool = True
    """Honour inline `aims: ignore[...]` directives (`--no-ignores` turns this off)."""
    honour_gitignore: bool = True
    prefilter_backend: str = "auto"
    """`auto`, `hyperscan`, `re2` or `python` (same results, different speed)."""


@dataclass(slots=True)
class _Task:
    relpath: str
    abspath: str
    size: int
    mtime_ns: int
    inode: int
    root: int
    mask: int
    known_digest: str | None


@dataclass(slots=True)
class _Outcome:
    relpath: str
    root: int
    size: int
    mtime_ns: int
    inode: int
    digest: str = ""
    read: bool = False
    reuse: bool = False
    """The content hash matched the cache: the parent takes the stored result."""
    result: DetectResult = field(default_factory=DetectResult)
    bytes_read: int = 0
    cacheable: bool = True
    """False after a read error or a detector crash: try again next time."""


@dataclass(slots=True)
class _WorkerState:
    detectors: list[Detector]
    ctx: DetectContext
    prefilter: Prefilter
    max_file_size: int
    ignores: bool
    hashing: bool


_STATE: _WorkerState | None = None


def _init_worker(
    detectors: list[Detector], catalog: Catalog, options: ScanOptions, hashing: bool
) -> None:
    """Pool initializer: build the per-process state once (keywords compiled here)."""
    global _STATE
    _STATE = _make_state(detectors, catalog, options, hashing)


def _make_state(
    detectors: list[Detector], catalog: Catalog, options: ScanOptions, hashing: bool
) -> _WorkerState:
    keyword_sets: list[Iterable[bytes] | None] = []
    for detector in detectors:
        try:
            keywords = detector.keywords(catalog)
            keyword_sets.append(None if keywords is None else list(keywords))
        except Exception:
            log.debug("detector %s: keywords() failed", detector.name, exc_info=True)
            keyword_sets.append(None)
    return _WorkerState(
        detectors=detectors,
        ctx=DetectContext(catalog=catalog),
        prefilter=Prefilter(keyword_sets, options.prefilter_backend),
        max_file_size=options.max_file_size,
        ignores=options.ignores,
        hashing=hashing,
    )


_Wire = tuple[int, str, str, int, int, str | None]
"""A task as sent to a worker: (sequence number, relpath, abspath, size, mask, known digest)."""
_Reply = tuple[int, str, int, int, DetectResult | None]
"""A worker's answer: (sequence number, digest, flags, bytes read, result or None if empty)."""
_READ, _REUSE, _CACHEABLE = 1, 2, 4


def _run_batch(batch: list[_Wire]) -> list[_Reply]:
    assert _STATE is not None, "worker not initialised"
    # NOTE: plain tuples, and None for the (usual) empty result: pickling dataclasses both ways
    # cost the parent more time than walking the tree.
    replies: list[_Reply] = []
    for seq, relpath, abspath, size, mask, known in batch:
        out = _scan_one(_STATE, relpath, abspath, size, mask, known)
        flags = (
            (_READ if out.read else 0)
            | (_REUSE if out.reuse else 0)
            | (_CACHEABLE if out.cacheable else 0)
        )
        result = out.result
        empty = not (result.components or result.findings or result.warnings)
        replies.append((seq, out.digest, flags, out.bytes_read, None if empty else result))
    return replies


def _scan_one(
    state: _WorkerState, relpath: str, abspath: str, size: int, mask: int, known: str | None
) -> _Outcome:
    out = _Outcome(relpath, 0, size, 0, 0)
    name = relpath.rsplit("/", 1)[-1]
    try:
        read = read_file(abspath, name, size, state.max_file_size)
    except FileNotFoundError:
        out.result.warnings.append(ScanWarning(relpath, "vanished during the scan"))
        out.cacheable = False
        return out
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        out.result.warnings.append(ScanWarning(relpath, f"cannot read: {reason}"))
        out.cacheable = False
        return out
    if read.data is None:
        if read.warning:
            out.result.warnings.append(ScanWarning(relpath, read.warning))
        return out
    data = read.data
    out.read = True
    out.bytes_read = len(data)
    if state.hashing:
        out.digest = content_hash(data) + (f":{read.size}" if read.model else "")
        if known is not None and known == out.digest:
            out.reuse = True
            return out
    selected = state.prefilter.select(data, mask)
    if not selected:
        return out
    scan_file = ScanFile(relpath=relpath, abspath=abspath, data=data, size=read.size)
    family: dict[int, str] = {}
    index = 0
    while selected:
        if selected & 1:
            detector = state.detectors[index]
            try:
                result = detector.detect(scan_file, state.ctx)
            except Exception as exc:
                log.debug("detector %s failed on %s", detector.name, relpath, exc_info=True)
                out.cacheable = False
                out.result.warnings.append(
                    ScanWarning(
                        relpath,
                        f"detector {detector.name} failed: {type(exc).__name__}: {exc}",
                    )
                )
            else:
                for finding in result.findings:
                    family[id(finding)] = detector.name
                out.result.extend(result)
        selected >>= 1
        index += 1
    if state.ignores and out.result.findings:
        findings, warnings = apply_inline_ignores(
            out.result.findings,
            scan_file.text,
            path=relpath,
            family_of=lambda f: family.get(id(f), ""),
        )
        out.result.findings = findings
        out.result.warnings.extend(warnings)
    return out


def _batches(tasks: Iterable[_Task]) -> Iterator[list[_Wire]]:
    batch: list[_Wire] = []
    size = 0
    for seq, task in enumerate(tasks):
        batch.append((seq, task.relpath, task.abspath, task.size, task.mask, task.known_digest))
        size += min(task.size, 64 * 1024 * 1024)
        if len(batch) >= _BATCH_FILES or size >= _BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def catalog_digest(catalog: Catalog) -> str:
    """Hash the catalog's content (so a catalog update invalidates cached results)."""
    digest = hashlib.sha256()
    for group in (catalog.providers, catalog.packages, catalog.model_families):
        for entry in group:
            digest.update(entry.model_dump_json().encode("utf-8"))
            digest.update(b"\0")
    return digest.hexdigest()[:24]


def select_detectors(detectors: Sequence[Detector], names: Iterable[str] | None) -> list[Detector]:
    """Return the detectors named in `names` (all when None); raises `UsageError` for a typo."""
    if names is None:
        return list(detectors)
    wanted = list(dict.fromkeys(names))
    known = {d.name: d for d in detectors}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise UsageError(
            f"unknown detector {', '.join(map(repr, unknown))}",
            hint=f"choose from: {', '.join(sorted(known))}",
        )
    return [d for d in detectors if d.name in wanted]


def scan(
    paths: Sequence[str | os.PathLike[str]],
    options: ScanOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    detectors: Sequence[Detector] | None = None,
    catalog: Catalog | None = None,
) -> Inventory:
    """Scan files and directories and return the assembled `Inventory`.

    `detectors` and `catalog` default to the built-in registry and catalog (tests pass their
    own). Problems with single files become warnings in the inventory; raises `UsageError`
    when `options.detectors` names an unknown detector and `ConfigError` for a broken catalog.
    """
    options = options or ScanOptions()
    started = time.perf_counter()
    start_ns = time.time_ns()
    explicit_catalog = catalog
    loaded: list[Catalog] = [catalog] if catalog is not None else []

    def get_catalog() -> Catalog:
        # NOTE: loaded lazily: a rescan served from the cache never parses the catalog.
        if not loaded:
            from aims.catalog import load_catalog

            loaded.append(load_catalog())
        return loaded[0]

    # NOTE: with the built-in registry, detectors are imported only when a file is not served
    # by the cache (importing them is a third of a cached rescan); the cache key then hashes
    # aims's own sources instead of the detectors' versions.
    registry: list[list[Detector]] = []
    if detectors is not None or options.detectors is not None:
        registry.append(select_detectors(_builtin(detectors), options.detectors))

    def get_active() -> list[Detector]:
        if not registry:
            registry.append(_builtin(None))
        return registry[0]

    given = [os.fspath(p) for p in paths]
    caches = _open_caches(given, registry[0] if registry else None, explicit_catalog, options)
    walker = Walker(
        WalkOptions(
            include_vendored=options.include_vendored,
            honour_gitignore=options.honour_gitignore,
        ),
        replays=[cache.index for cache in caches],
        record=bool(caches),
    )
    jobs = max(1, options.jobs or os.cpu_count() or 1)
    stats = ScanStats()
    collected = DetectResult()
    outcomes: list[_Outcome] = []
    found = [0]

    def tasks() -> Iterator[_Task]:
        only = options.only_paths
        # NOTE: diff mode lists a few changed files; walking a 100k-file tree to find them
        # would cost seconds, so a single directory root is resolved path by path.
        single_dir = len(given) == 1 and os.path.isdir(given[0])
        entries: Iterable[WalkEntry | DirHit] = (
            walker.walk_only(os.fspath(given[0]), only)
            if only is not None and single_dir
            else walker.walk_cached(given)
            if only is None
            else walker.walk(given)
        )
        if only is None and single_dir and len(caches) == 1 and jobs > 1:
            split = _split_walk(walker, given[0], caches[0])
            if split is not None:
                misses: list[_Miss] = []
                joined = _join_indexes(split, caches[0].index)
                if joined is not None:
                    walker.recorded[0] = joined
                for half in split:
                    caches[0].mark_unchanged_dirs(half.dir_hits)
                    hits = len(half.hits) + sum(len(names) for _, names in half.dir_hits)
                    stats.files_seen += hits
                    found[0] += hits
                    stats.cache_hits += hits
                    stats.files_scanned += half.read
                    stats.files_skipped += hits - half.read
                    for stored in caches[0].mark_unchanged(half.hits, half.with_results):
                        collected.extend(load_result(stored))
                    misses += half.misses
                entries = (WalkEntry(*miss) for miss in misses)
        for entry in entries:
            if type(entry) is DirHit:
                hits = len(entry.names)
                stats.files_seen += hits
                found[0] += hits
                stats.cache_hits += hits
                stats.files_scanned += entry.read
                stats.files_skipped += hits - entry.read
                served = caches[entry.root]
                served.mark_unchanged_dirs([(entry.prefix, entry.names)])
                with_results = [entry.prefix + name for name in entry.with_results]
                for stored in served.mark_unchanged([], with_results):
                    collected.extend(load_result(stored))
                continue
            assert type(entry) is WalkEntry
            stats.files_seen += 1
            found[0] += 1
            if only is not None and entry.relpath not in only:
                continue
            cache = caches[entry.root] if caches else None
            if cache is not None:
                # Only files some detector wanted are in the cache (under this configuration,
                # which fixes the detector set), so a stat hit needs no `wants()` calls.
                hit = cache.by_stat(entry.relpath, entry.size, entry.mtime_ns, entry.inode)
                if hit is not None:
                    was_read, stored = hit
                    stats.cache_hits += 1
                    if was_read:
                        stats.files_scanned += 1
                    else:
                        stats.files_skipped += 1
                    if stored:
                        collected.extend(load_result(stored))
                    continue
            if cache is not None and entry.relpath in cache.unwanted:
                cache.fresh_unwanted.add(entry.relpath)
                continue
            mask = _wanted_mask(get_active(), entry)
            if not mask:
                if cache is not None:
                    cache.fresh_unwanted.add(entry.relpath)
                continue
            known = cache.digest_of(entry.relpath) if cache is not None else None
            yield _Task(
                entry.relpath,
                entry.abspath,
                entry.size,
                entry.mtime_ns,
                entry.inode,
                entry.root,
                mask,
                known,
            )

    hashing = bool(caches)
    stream = tasks()
    head: list[_Task] = []
    for task in stream:
        head.append(task)
        if len(head) >= _SERIAL_THRESHOLD:
            break
    if not head:
        pass  # everything came from the cache (or nothing is wanted): no detector state
    elif jobs == 1 or len(head) < _SERIAL_THRESHOLD:
        state = _make_state(get_active(), get_catalog(), options, hashing)
        for task in [*head, *stream]:
            outcome = _scan_one(
                state, task.relpath, task.abspath, task.size, task.mask, task.known_digest
            )
            outcome.root, outcome.mtime_ns, outcome.inode = task.root, task.mtime_ns, task.inode
            outcomes.append(outcome)
            if progress is not None:
                progress(len(outcomes), found[0])
    else:
        outcomes = _run_pool(
            _chain(head, stream),
            jobs,
            get_active(),
            get_catalog(),
            options,
            hashing,
            progress,
            found,
        )

    for outcome in outcomes:
        cache = caches[outcome.root] if caches else None
        result = outcome.result
        if outcome.reuse and cache is not None:
            stored = cache.result_of(outcome.relpath)
            if stored is not None:
                try:
                    result = load_result(stored)
                    stats.cache_hits += 1
                except (KeyError, TypeError, ValueError):
                    result = DetectResult()
        if outcome.read:
            stats.files_scanned += 1
            stats.bytes_scanned += outcome.bytes_read
        else:
            stats.files_skipped += 1
        collected.extend(result)
        if cache is not None and outcome.cacheable:
            cache.store(
                outcome.relpath,
                CacheEntry(
                    outcome.size,
                    outcome.mtime_ns,
                    outcome.inode,
                    outcome.digest,
                    dump_result(result),
                    outcome.read,
                ),
                scan_start_ns=start_ns,
            )
    names = _provider_names(collected, caches, loaded, get_catalog)
    for number, cache in enumerate(caches):
        cache.set_index(walker.recorded.get(number))
        cache.save()

    stats.files_skipped += walker.skipped
    stats.duration_seconds = round(time.perf_counter() - started, 3)
    return assemble(
        roots=[_root_label(p) for p in given],
        components=collected.components,
        findings=collected.findings,
        warnings=[*walker.warnings, *collected.warnings],
        stats=stats,
        provider_names=names,
        reproducible=options.reproducible,
    )


def _provider_names(
    collected: DetectResult,
    caches: list[ScanCache],
    loaded: list[Catalog],
    get_catalog: Callable[[], Catalog],
) -> dict[str, str]:
    """Display names of the providers in the result, from the catalog or the cache.

    The cache stores the catalog's whole ID-to-name map (its key includes the catalog's
    digest), so a rescan served from the cache does not need to load the catalog.
    """
    wanted = providers_named(collected.components)
    stored = [c.meta.get("provider_names") for c in caches]
    known: dict[str, str] = {}
    if caches and not loaded and all(isinstance(m, dict) for m in stored):
        for mapping in stored:
            if isinstance(mapping, dict):
                known.update({str(k): str(v) for k, v in mapping.items()})
    elif wanted or caches:
        known = {p.id: p.name for p in get_catalog().providers}
    names = {pid: known[pid] for pid in sorted(wanted) if pid in known}
    for cache in caches:
        if cache.meta.get("provider_names") != known:
            cache.meta["provider_names"] = known
            cache.dirty = True
    return names


_Miss = tuple[str, str, int, int, int]
"""A walked file the cache cannot serve: (relpath, abspath, size, mtime_ns, inode)."""


@dataclass(slots=True)
class _Pass:
    """One slice of a split walk, sorted against the cache."""

    hits: list[str]
    """Files whose stat facts match the cache."""
    dir_hits: list[tuple[str, list[str]]]
    """Whole directories whose files match the cache: (prefix, names)."""
    read: int
    """How many of `hits` had been read (the others were skipped: binary, too large)."""
    with_results: list[str]
    """The `hits` with a non-empty stored result."""
    misses: list[_Miss]
    warnings: list[ScanWarning]
    skipped: int
    visited: set[tuple[int, int]]
    """Directories entered after the split point (see `Walker.split_visited`)."""
    index: DirIndex | None
    """The slice's directory index; records unchanged since the last walk are None (the
    caller has them: sending them back would cost more than the walk saved)."""


def _stat_pass(options: WalkOptions, root: str, part: tuple[int, int], cache: ScanCache) -> _Pass:
    """Walk one slice of `root` and sort its files into cache hits and misses."""
    walker = Walker(options, replays=[cache.index], record=True)
    known: Callable[[str], str | None] | None = None  # the file map, loaded if needed
    results = cache.results
    hits: list[str] = []
    dir_hits: list[tuple[str, list[str]]] = []
    with_results: list[str] = []
    misses: list[_Miss] = []
    read = 0
    # NOTE: the loop body of `by_stat`, inlined: this runs once per file of the tree.
    for e in walker.walk_cached([root], part=part):
        if type(e) is DirHit:
            dir_hits.append((e.prefix, e.names))
            read += e.read
            with_results += [e.prefix + name for name in e.with_results]
            continue
        assert type(e) is WalkEntry
        relpath = e.relpath
        if known is None:
            known = cache.entries.get
        packed = known(relpath)
        if packed is not None and packed.startswith(f"{e.size}:{e.mtime_ns}:{e.inode}:"):
            hits.append(relpath)
            if packed[-1:] == "1":
                read += 1
            if relpath in results:
                with_results.append(relpath)
        else:
            misses.append((relpath, e.abspath, e.size, e.mtime_ns, e.inode))
    # Warnings met before the split point are met by every slice: slice 0 reports them.
    before = walker.split_warnings
    warnings = walker.warnings if part[0] == 0 else walker.warnings[before or 0 :]
    if before is None and part[0] > 0:
        warnings = []
    index = walker.recorded.get(0)
    if index is not None and cache.index is not None:
        old = cache.index["dirs"]
        dirs = index["dirs"]
        index["dirs"] = {rel: (None if old.get(rel) is rec else rec) for rel, rec in dirs.items()}
    return _Pass(
        hits,
        dir_hits,
        read,
        with_results,
        misses,
        warnings,
        walker.skipped,
        walker.split_visited,
        index,
    )


def _join_indexes(halves: tuple[_Pass, _Pass], known: DirIndex | None) -> DirIndex | None:
    """Join the directory indexes of a split walk's slices (None: keep the stored one)."""
    if any(half.index is None for half in halves):
        return None
    old = known["dirs"] if known is not None else {}
    dirs: dict[str, Any] = {}
    for half in halves:
        assert half.index is not None
        for rel, record in half.index["dirs"].items():
            dirs[rel] = record if record is not None else old[rel]
    first = halves[0].index
    assert first is not None
    return {**first, "dirs": dirs}


def _pass_child(conn: Connection, options: WalkOptions, root: str, cache: ScanCache) -> None:
    try:
        conn.send(_stat_pass(options, root, (1, 2), cache))
    finally:
        conn.close()


def _split_walk(walker: Walker, root: str, cache: ScanCache) -> tuple[_Pass, _Pass] | None:
    """Walk and stat a large cached tree in two processes; None when it must be done serially.

    NOTE: on a rescan of an unchanged tree, walking, `stat` and the cache look-ups are nearly
    all the work; a forked child (sharing the loaded cache copy-on-write) takes the second
    half of the tree. The halves, in order, are exactly the serial walk: when a directory is
    reached from both (a symbolic link across them) the result is dropped and the caller
    walks serially, so output never depends on the split.
    """
    if cache.entry_count < _SPLIT_MIN_ENTRIES or "fork" not in (
        multiprocessing.get_all_start_methods()
    ):
        return None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_pass_child, args=(sender, walker.options, root, cache), daemon=True
    )
    child.start()
    sender.close()
    try:
        first = _stat_pass(walker.options, root, (0, 2), cache)
        try:
            second: _Pass = receiver.recv()
        except (EOFError, OSError):
            log.debug("split walk: the child process failed; walking serially")
            return None
    finally:
        receiver.close()
        child.join()
    if first.visited & second.visited:
        return None  # a directory reached from both halves: only the serial walk is exact
    walker.warnings.extend([*first.warnings, *second.warnings])
    walker.skipped += first.skipped + second.skipped
    return first, second


def _chain(head: list[_Task], rest: Iterator[_Task]) -> Iterator[_Task]:
    yield from head
    yield from rest


def _run_pool(
    tasks: Iterator[_Task],
    jobs: int,
    detectors: list[Detector],
    catalog: Catalog,
    options: ScanOptions,
    hashing: bool,
    progress: ProgressCallback | None,
    found: list[int],
) -> list[_Outcome]:
    # NOTE: fork (where available) shares the loaded catalog and detectors with the workers
    # without pickling them; elsewhere the initializer arguments are pickled once per worker.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    outcomes: list[_Outcome] = []
    sent: list[_Task] = []

    def record(stream: Iterator[_Task]) -> Iterator[_Task]:
        for task in stream:
            sent.append(task)  # sequence number = position in `sent`
            yield task

    with context.Pool(
        processes=jobs,
        initializer=_init_worker,
        initargs=(detectors, catalog, options, hashing),
    ) as pool:
        for chunk in pool.imap_unordered(_run_batch, _batches(record(tasks))):
            for seq, digest, flags, bytes_read, result in chunk:
                task = sent[seq]
                outcomes.append(
                    _Outcome(
                        task.relpath,
                        task.root,
                        task.size,
                        task.mtime_ns,
                        task.inode,
                        digest=digest,
                        read=bool(flags & _READ),
                        reuse=bool(flags & _REUSE),
                        result=result if result is not None else DetectResult(),
                        bytes_read=bytes_read,
                        cacheable=bool(flags & _CACHEABLE),
                    )
                )
            if progress is not None:
                progress(len(outcomes), found[0])
    return outcomes


def _wanted_mask(detectors: Sequence[Detector], entry: WalkEntry) -> int:
    mask = 0
    name = entry.name
    for index, detector in enumerate(detectors):
        try:
            if detector.wants(entry.relpath, name):
                mask |= 1 << index
        except Exception:
            log.debug("detector %s: wants() failed on %s", detector.name, entry.relpath)
    return mask


def _root_label(path: str) -> str:
    label = Path(path).as_posix()
    while label.startswith("./"):
        label = label[2:]
    # Bytes that are not UTF-8 (surrogate escapes) would make every writer fail: `?`.
    return label.rstrip("/").encode("utf-8", "replace").decode("utf-8") or "."


def catalog_files_digest() -> str:
    """Hash the built-in catalog's data files (cheaper than loading and parsing them)."""
    from aims.catalog.loader import data_root

    digest = hashlib.sha256()
    stack = [data_root()]
    files = []
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append(entry)
            elif entry.is_file():
                files.append(entry)
    for entry in sorted(files, key=lambda e: str(e)):
        digest.update(str(entry).encode("utf-8", "replace") + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:24]


def _builtin(detectors: Sequence[Detector] | None) -> list[Detector]:
    if detectors is not None:
        return list(detectors)
    from aims.scanner.detectors import all_detectors

    return all_detectors()


_SCAN_SOURCES = ("scanner", "catalog", "secrets", "findings.py", "inventory.py", "__init__.py")
"""The parts of the aims package that detectors' results depend on."""


def sources_digest() -> str:
    """Hash the code and data detectors depend on: any change there invalidates the cache.

    Covers `aims/scanner`, `aims/catalog` (its data files too), `aims/secrets`, the finding
    and inventory models and the package version; ~200 files, a few milliseconds.
    """
    import aims

    base = os.path.dirname(os.path.abspath(aims.__file__))
    paths: list[str] = []
    for part in _SCAN_SOURCES:
        top = os.path.join(base, part)
        if os.path.isfile(top):
            paths.append(top)
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            paths.extend(
                os.path.join(folder, n)
                for n in files
                if n.endswith((".py", ".yaml", ".yml", ".json", ".txt"))
            )
    digest = hashlib.sha256()
    for path in sorted(paths):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        digest.update(os.path.relpath(path, base).encode("utf-8", "replace") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:24]


def _open_caches(
    given: list[str],
    detectors: Sequence[Detector] | None,
    catalog: Catalog | None,
    options: ScanOptions,
) -> list[ScanCache]:
    if not options.use_cache:
        return []
    if detectors is None:
        parts = [f"sources={sources_digest()}"]  # the built-in registry and catalog
    else:
        parts = sorted(f"{d.name}={d.version}" for d in detectors)
    if catalog is not None:
        parts.append(f"catalog={catalog_digest(catalog)}")
    elif detectors is not None:
        parts.append(f"catalog={catalog_files_digest()}")
    parts += [
        f"max_file_size={options.max_file_size}",
        f"ignores={options.ignores}",
        f"many_roots={len(given) > 1}",
    ]
    key = config_key(parts)
    base = Path(options.cache_dir) if options.cache_dir else default_cache_dir()
    return [ScanCache.open(base, os.path.abspath(p), key) for p in given]
