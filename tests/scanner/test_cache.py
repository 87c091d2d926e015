"""Cache: warm rescans reuse results, changes are re-scanned, corruption is survived."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from aims.inventory import Inventory
from aims.scanner.cache import default_cache_dir
from aims.scanner.engine import ScanOptions, scan
from tests.fixtures.engine.fakes import KeywordDetector, empty_catalog

OLD = 1_600_000_000_000_000_000  # an mtime far in the past: not "racily clean"


def comparable(inventory: Inventory) -> dict[str, Any]:
    data = dataclasses.asdict(inventory)
    data.pop("stats")
    return data


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for i in range(6):
        path = root / f"m{i}.py"
        path.write_text(f"import openai  # {i}\n" if i % 2 == 0 else "import os\n")
        os.utime(path, ns=(OLD, OLD))
    return root


def run(root: Path, cache: Path, **options: Any) -> Inventory:
    KeywordDetector.calls = 0
    return scan(
        [str(root)],
        ScanOptions(**{"jobs": 1, "cache_dir": str(cache), "reproducible": True, **options}),
        detectors=[KeywordDetector(b"openai")],
        catalog=empty_catalog(),
    )


def test_rescan_of_an_unchanged_tree_reads_nothing(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = run(tree, cache)
    assert KeywordDetector.calls == 3
    assert cold.stats.cache_hits == 0
    warm = run(tree, cache)
    assert KeywordDetector.calls == 0
    assert warm.stats.cache_hits == 6
    assert warm.stats.bytes_scanned == 0
    assert warm.stats.files_scanned == 6
    assert comparable(warm) == comparable(cold)


def test_modified_file_is_rescanned(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(tree, cache)
    changed = tree / "m1.py"
    changed.write_text("import openai\nimport openai\n")
    os.utime(changed, ns=(OLD + 10**9, OLD + 10**9))
    warm = run(tree, cache)
    assert KeywordDetector.calls == 1
    assert warm.stats.cache_hits == 5
    sdk = next(c for c in warm.components if c.type == "sdk")
    assert [(e.path, e.line) for e in sdk.evidence] == [
        ("m0.py", 1),
        ("m1.py", 1),
        ("m1.py", 2),
        ("m2.py", 1),
        ("m4.py", 1),
    ]


def test_touched_but_identical_file_is_not_re_examined(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(tree, cache)
    os.utime(tree / "m0.py", ns=(OLD + 5 * 10**9, OLD + 5 * 10**9))
    warm = run(tree, cache)
    assert KeywordDetector.calls == 0  # content hash matched
    assert warm.stats.cache_hits == 6
    assert warm.stats.bytes_scanned == len("import openai  # 0\n")


def test_deleted_and_added_files(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(tree, cache)
    (tree / "m0.py").unlink()
    (tree / "new.py").write_text("OPENAI_API_KEY = 1\n")
    warm = run(tree, cache)
    sdk = next(c for c in warm.components if c.type == "sdk")
    assert [e.path for e in sdk.evidence] == ["m2.py", "m4.py", "new.py"]
    assert KeywordDetector.calls == 1


def test_corrupt_cache_is_rebuilt(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = run(tree, cache)
    files = list(cache.rglob("*.json"))
    assert len(files) == 1
    files[0].write_bytes(b'{"format": 1, "files": {"m0.py": [1, 2]}}')
    again = run(tree, cache)
    assert KeywordDetector.calls == 3
    assert comparable(again) == comparable(cold)
    files[0].write_bytes(b"\x00garbage")
    assert comparable(run(tree, cache)) == comparable(cold)
    assert KeywordDetector.calls == 3
    run(tree, cache)
    assert KeywordDetector.calls == 0  # rebuilt and usable again


def test_no_cache_writes_nothing(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(tree, cache, use_cache=False)
    assert not cache.exists()


def test_configuration_change_invalidates(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(tree, cache)
    run(tree, cache, max_file_size=10)  # another configuration: another cache file
    assert KeywordDetector.calls == 0  # every file is now over the limit
    assert len(list(cache.rglob("*.json"))) == 2


def test_cache_never_holds_file_content(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    secret = "sk-" + "FAKE" + "0123456789abcdefghijklmnop"
    (tree / "m0.py").write_text(f"import openai\nKEY = '{secret}'\n")
    run(tree, cache)
    stored = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())
    assert secret.encode() not in stored
    assert b"import openai" in stored  # the detector's redacted-by-design snippet


def test_default_cache_dir_honours_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "aims"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "aims"


def test_warm_rescan_does_not_load_the_catalog(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aims.catalog

    loads: list[int] = []

    def load_catalog() -> object:
        loads.append(1)
        return empty_catalog()

    monkeypatch.setattr(aims.catalog, "load_catalog", load_catalog)
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"), reproducible=True)
    first = scan([str(tree)], options, detectors=[KeywordDetector(b"openai")])
    assert loads == [1]
    second = scan([str(tree)], options, detectors=[KeywordDetector(b"openai")])
    assert loads == [1]
    assert comparable(first) == comparable(second)
    assert [c.type.value for c in second.components] == ["provider", "sdk"]


def test_warm_rescan_with_the_builtin_registry_imports_no_detector(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aims.catalog
    import aims.scanner.detectors

    built: list[int] = []

    def all_detectors() -> list[KeywordDetector]:
        built.append(1)
        return [KeywordDetector(b"openai")]

    monkeypatch.setattr(aims.scanner.detectors, "all_detectors", all_detectors)
    monkeypatch.setattr(aims.catalog, "load_catalog", empty_catalog)
    options = ScanOptions(jobs=1, cache_dir=str(tmp_path / "cache"), reproducible=True)
    first = scan([str(tree)], options)
    assert built == [1]
    second = scan([str(tree)], options)
    assert built == [1]  # every file came from the cache: detectors never imported
    assert comparable(first) == comparable(second)
    (tree / "m1.py").write_text("import openai\n")
    os.utime(tree / "m1.py", ns=(OLD + 10**9, OLD + 10**9))
    third = scan([str(tree)], options)
    assert built == [1, 1]  # a changed file needs them
    assert len(third.components[1].evidence) == 4


def build_split_tree(root: Path) -> None:
    (root / ".gitignore").parent.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text("*.log\n")
    for i in range(40):
        path = root / "src" / f"pkg{i % 4}" / f"m{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"import openai  # {i}\n" if i % 3 == 0 else "import os\n")
        os.utime(path, ns=(OLD, OLD))
    (root / "src" / "pkg3" / "debug.log").write_text("import openai\n")
    (root / "src" / "pkg2" / "node_modules" / "x").mkdir(parents=True)
    (root / "src" / "pkg2" / "node_modules" / "x" / "i.py").write_text("import openai\n")


def test_split_rescan_matches_the_serial_rescan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aims.scanner import engine

    root = tmp_path / "repo"
    build_split_tree(root)
    cache = tmp_path / "cache"
    run(root, cache)
    monkeypatch.setattr(engine, "_SPLIT_MIN_ENTRIES", 0)
    changed = root / "src" / "pkg3" / "m3.py"  # in the second half of the split
    changed.write_text("import openai\nimport openai\n")
    os.utime(changed, ns=(OLD + 10**9, OLD + 10**9))
    (root / "src" / "pkg2" / "m38.py").unlink()
    calls = []
    split_calls = []
    real_split = engine._split_walk

    def spy(*args: Any) -> Any:
        result = real_split(*args)
        split_calls.append(result is not None)
        return result

    monkeypatch.setattr(engine, "_split_walk", spy)
    shutil.copytree(cache, tmp_path / "serial-cache")  # the same cache state for both runs
    inventories = []
    for jobs, where in ((2, cache), (1, tmp_path / "serial-cache")):
        inventories.append(run(root, where, jobs=jobs))
        calls.append(KeywordDetector.calls)
    assert split_calls == [True]  # jobs=1 never splits
    split, serial = inventories
    assert comparable(split) == comparable(serial)
    assert dataclasses.replace(split.stats, duration_seconds=0) == dataclasses.replace(
        serial.stats, duration_seconds=0
    )
    assert calls == [1, 1]  # the modified file was examined again, in both runs
    assert split.stats.files_seen == 40  # 39 modules and the .gitignore
    assert split.stats.cache_hits == 38  # all but the modified file
    sdk = next(c for c in split.components if c.type == "sdk")
    paths = [(e.path, e.line) for e in sdk.evidence]
    assert ("src/pkg3/m3.py", 2) in paths
    assert all(not p.endswith(".log") and "node_modules" not in p for p, _ in paths)
    assert len(paths) == 15  # every third module, m3 twice (m38 had no openai)
    stored = json.loads(next(cache.rglob("*.filemap")).read_bytes())
    assert "src/pkg2/m38.py" not in stored["files"]  # the deleted file dropped out
    assert len(stored["files"]) == 39  # the modules (no detector wants .gitignore)


def test_split_walk_falls_back_when_a_link_crosses_the_halves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aims.scanner import engine
    from aims.scanner.cache import ScanCache
    from aims.scanner.walker import Walker

    root = tmp_path / "repo"
    build_split_tree(root)
    (root / "src" / "pkg3" / "sub").mkdir()
    (root / "src" / "pkg3" / "sub" / "n.py").write_text("import openai\n")
    # The first half reaches pkg3/sub through the link before the second half reaches it.
    (root / "src" / "pkg0" / "to3").symlink_to(root / "src" / "pkg3" / "sub")
    cache = tmp_path / "cache"
    cold = run(root, cache)
    monkeypatch.setattr(engine, "_SPLIT_MIN_ENTRIES", 0)
    opened = ScanCache(path=tmp_path / "unused.json", file_map={"x": "1:2:3::1"}, entry_count=1)
    assert engine._split_walk(Walker(), str(root), opened) is None
    warm = run(root, cache, jobs=2)
    assert comparable(warm) == comparable(cold)
    sdk = next(c for c in warm.components if c.type == "sdk")
    assert "src/pkg0/to3/n.py" in [e.path for e in sdk.evidence]
    assert "src/pkg3/sub/n.py" not in [e.path for e in sdk.evidence]


def test_split_walk_keeps_link_to_an_already_listed_sibling_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aims.scanner import engine

    root = tmp_path / "repo"
    build_split_tree(root)
    (root / "src" / "pkg0" / "to3").symlink_to(root / "src" / "pkg3")
    cache = tmp_path / "cache"
    cold = run(root, cache)
    monkeypatch.setattr(engine, "_SPLIT_MIN_ENTRIES", 0)
    warm = run(root, cache, jobs=2)
    assert comparable(warm) == comparable(cold)
    assert [(w.path, w.message) for w in warm.warnings] == [
        ("src/pkg0/to3", "symbolic link to a directory already scanned: skipped")
    ]


def _age_dirs(root: Path) -> None:
    for folder, _, _ in os.walk(root):
        os.utime(folder, ns=(OLD, OLD))


def test_an_unchanged_tree_is_served_without_the_file_map(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aims.scanner.cache import ScanCache

    cache = tmp_path / "cache"
    _age_dirs(tree)
    cold = run(tree, cache)
    run(tree, cache)  # marks every directory as fully stored

    def refuse(self: ScanCache) -> dict[str, str]:
        raise AssertionError("the file map was read")

    monkeypatch.setattr(ScanCache, "_load_file_map", refuse)
    warm = run(tree, cache)
    assert KeywordDetector.calls == 0
    assert warm.stats.cache_hits == 6
    assert comparable(warm) == comparable(cold)


def test_a_changed_file_in_a_served_directory_is_examined(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _age_dirs(tree)
    run(tree, cache)
    run(tree, cache)
    (tree / "m1.py").write_text("import openai  # now\n")
    os.utime(tree, ns=(OLD, OLD))  # an in-place edit leaves the directory alone
    warm = run(tree, cache)
    assert KeywordDetector.calls == 1
    assert "m1.py" in [e.path for c in warm.components for e in c.evidence]
    assert comparable(warm) == comparable(run(tree, cache, use_cache=False))


def test_a_racily_stored_file_is_examined_again_even_in_a_served_directory(
    tree: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _age_dirs(tree)
    racy = tree / "m3.py"
    racy.write_text("import os  # v1\n")  # written now: inside the racy window of the scan
    stamp = os.stat(racy).st_mtime_ns
    run(tree, cache)
    run(tree, cache)
    # Same size, same mtime: only the content tells (the "racy git" case).
    racy.write_text("import openai#\n")
    os.utime(racy, ns=(stamp, stamp))
    os.utime(tree, ns=(OLD, OLD))
    warm = run(tree, cache)
    assert "m3.py" in [e.path for c in warm.components for e in c.evidence]
    assert comparable(warm) == comparable(run(tree, cache, use_cache=False))


def test_a_file_map_from_another_save_is_not_used(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = run(tree, cache)
    file_map = next(cache.rglob("*.filemap"))
    stale = json.loads(file_map.read_bytes())
    stale["generation"] = "0" * 16
    file_map.write_text(json.dumps(stale))
    again = run(tree, cache)
    assert KeywordDetector.calls == 3  # nothing trusted from the stale map
    assert comparable(again) == comparable(cold)
    run(tree, cache)
    assert KeywordDetector.calls == 0  # rebuilt and usable again


def test_files_no_detector_wants_are_remembered(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aims.scanner import engine

    cache = tmp_path / "cache"
    (tree / "logo.svg").write_text("<svg/>\n")  # the keyword detector wants .py/.js/.md/.txt
    asked: list[str] = []
    real = engine._wanted_mask

    def counting(detectors: Any, entry: Any) -> int:
        asked.append(entry.relpath)
        return real(detectors, entry)

    monkeypatch.setattr(engine, "_wanted_mask", counting)
    cold = run(tree, cache)
    assert "logo.svg" in asked
    asked.clear()
    warm = run(tree, cache)
    assert asked == []  # not even asked: the detectors need not be imported for it
    assert warm.stats.files_seen == cold.stats.files_seen == 7
    assert comparable(warm) == comparable(cold)
    (tree / "logo.svg").unlink()
    again = run(tree, cache)
    assert again.stats.files_seen == 6
    stored = json.loads(next(cache.rglob("*.json")).read_bytes())
    assert stored["unwanted"] == []  # a deleted file drops out
