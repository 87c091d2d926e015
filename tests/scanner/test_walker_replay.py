"""Walker replay: a walk guided by the last walk's directory index sees exactly what a full
walk sees, whatever changed in between (files, directories, ignore files, links, markers)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aims.scanner.engine import ScanOptions, scan
from aims.scanner.walker import DirIndex, Walker, WalkOptions
from tests.fixtures.engine.fakes import SeeAllDetector, empty_catalog

OLD = 1_600_000_000  # a time far outside the racy window


def _age(root: Path) -> None:
    """Date every directory and file in the past, as in a checkout that was not just written."""
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.utime(path, (OLD, OLD))
    os.utime(root, (OLD, OLD))


def _walk(root: Path, replay: DirIndex | None) -> tuple[list[Any], list[Any], DirIndex, int]:
    walker = Walker(WalkOptions(), replays=[replay], record=True)
    entries = [(e.relpath, e.abspath, e.size, e.mtime_ns, e.inode) for e in walker.walk([root])]
    warnings = [(w.path, w.message) for w in walker.warnings]
    return entries, warnings, walker.recorded[0], walker.skipped


def _replayed(index: DirIndex) -> int:
    return sum(1 for record in index["dirs"].values() if record[5])


def _tree(root: Path) -> None:
    files = {
        ".gitignore": "*.log\nbuild-out/\n",
        "app.py": "import openai\n",
        "debug.log": "noise\n",
        "src/a.py": "a\n",
        "src/b.py": "b\n",
        "src/deep/c.py": "c\n",
        "src/deep/.gitignore": "*.tmp\n",
        "src/deep/x.tmp": "x\n",
        "docs/readme.md": "docs\n",
        "build-out/gen.py": "generated\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _restore_dir_mtime(path: Path) -> None:
    os.utime(path, (OLD, OLD))


# Each change keeps or moves directory mtimes the way real edits do; some restore them on
# purpose, to prove that what replay trusts (names) is all that an unchanged mtime promises.
CHANGES = {
    "edit a file in place": lambda r: (r / "src/a.py").write_text("changed!\n"),
    "add a file": lambda r: (r / "src/new.py").write_text("new\n"),
    "delete a file": lambda r: (r / "src/b.py").unlink(),
    "rename a file": lambda r: (r / "src/b.py").rename(r / "src/b2.py"),
    "add a directory": lambda r: (r / "src/pkg").mkdir() or (r / "src/pkg/m.py").write_text("m\n"),
    "delete a directory": lambda r: shutil.rmtree(r / "src/deep"),
    "replace a directory": lambda r: (
        shutil.rmtree(r / "docs"),
        (r / "docs").mkdir(),
        (r / "docs/other.md").write_text("o\n"),
    ),
    "edit the root ignore file in place": lambda r: (
        (r / ".gitignore").write_text("*.md\n"),
        _restore_dir_mtime(r),
    ),
    "edit a nested ignore file in place": lambda r: (
        (r / "src/deep/.gitignore").write_text("*.py\n"),
        _restore_dir_mtime(r / "src/deep"),
    ),
    "remove the root ignore file": lambda r: (r / ".gitignore").unlink(),
    "add an ignore file below": lambda r: (r / "src/.gitignore").write_text("deep/\n"),
    "add a virtual environment marker": lambda r: (r / "src/deep/pyvenv.cfg").write_text("x\n"),
    "add a symbolic link to a directory": lambda r: (r / "link").symlink_to(r / "src"),
    "add a symbolic link to a file": lambda r: (r / "src/l.py").symlink_to(r / "app.py"),
    "replace a file by a directory": lambda r: (
        (r / "src/a.py").unlink(),
        (r / "src/a.py").mkdir(),
        (r / "src/a.py/inner.py").write_text("i\n"),
    ),
    "ignore file above the root": lambda r: None,  # handled in its own test
}


def _check_change(tmp_path: Path, name: str) -> None:
    root = tmp_path / "repo"
    root.mkdir(parents=True)
    _tree(root)
    _age(root)
    first, _, index, _ = _walk(root, None)
    again, _, index2, _ = _walk(root, index)
    assert again == first
    assert index2 == index
    assert _replayed(index) == len(index["dirs"])  # every directory was recorded replayable
    CHANGES[name](root)
    fresh = _walk(root, None)
    replayed = _walk(root, index)
    assert replayed[:2] == fresh[:2], name
    assert replayed[3] == fresh[3]


def test_replay_equals_a_full_walk_after_each_kind_of_change(tmp_path: Path) -> None:
    for number, name in enumerate(CHANGES):
        _check_change(tmp_path / str(number), name)


def test_an_unchanged_tree_is_replayed_without_listing_directories(
    tmp_path: Path, monkeypatch: Any
) -> None:
    _tree(tmp_path)
    _age(tmp_path)
    first, _, index, _ = _walk(tmp_path, None)
    listed: list[str] = []
    real = os.scandir

    def counting(path: Any) -> Any:
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", counting)
    again, _, _, _ = _walk(tmp_path, index)
    assert again == first
    assert listed == []


def test_a_recent_directory_is_listed_again(tmp_path: Path, monkeypatch: Any) -> None:
    _tree(tmp_path)
    _age(tmp_path)
    os.utime(tmp_path / "src", None)  # just modified: inside the racy window
    _, _, index, _ = _walk(tmp_path, None)
    assert index["dirs"]["src/"][5] == 0
    assert index["dirs"]["docs/"][5] == 1


def test_an_ignore_file_above_the_root_disables_replay(tmp_path: Path) -> None:
    top = tmp_path / "top"
    (top / ".git").mkdir(parents=True)
    (top / ".gitignore").write_text("*.tmp\n")
    root = top / "sub"
    _tree(root)
    (root / "keep.tmp").write_text("t\n")
    (root / "keep.md").write_text("t\n")
    _age(top)
    first, _, index, _ = _walk(root, None)
    assert "keep.tmp" not in [e[0] for e in first]
    (top / ".gitignore").write_text("*.md\n")
    os.utime(top, (OLD, OLD))
    fresh = _walk(root, None)
    replayed = _walk(root, index)
    assert replayed[0] == fresh[0]
    assert "keep.tmp" in [e[0] for e in replayed[0]]
    assert "keep.md" not in [e[0] for e in replayed[0]]


_NAMES = st.sampled_from(["a", "b", "c"])
_OPS = st.lists(
    st.tuples(
        st.sampled_from(["write", "delete", "mkdir", "rmdir", "ignore", "unignore", "age"]),
        st.lists(_NAMES, min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=_OPS)
def test_replay_matches_a_full_walk_after_random_edits(tmp_path: Path, ops: Any) -> None:
    root = Path(tmp_path) / f"r{time.monotonic_ns()}"
    root.mkdir()
    _tree(root)
    _age(root)
    index = _walk(root, None)[2]
    for op, parts in ops:
        path = root.joinpath(*parts)
        try:
            if op == "write":
                path.parent.mkdir(parents=True, exist_ok=True)
                if not path.is_dir():
                    path.write_text(f"{parts}\n")
            elif op == "delete" and path.is_file():
                path.unlink()
            elif op == "mkdir":
                path.mkdir(parents=True, exist_ok=True)
            elif op == "rmdir" and path.is_dir():
                shutil.rmtree(path)
            elif op in ("ignore", "unignore") and path.parent.is_dir():
                ignore = path.parent / ".gitignore"
                keep = os.stat(path.parent).st_mtime_ns
                ignore.write_text(f"{parts[-1]}\n" if op == "ignore" else "")
                os.utime(path.parent, ns=(keep, keep))  # an edit that leaves the mtime alone
            elif op == "age":
                _age(root)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue
        fresh = _walk(root, None)
        replayed = _walk(root, index)
        assert replayed[:2] == fresh[:2]
        index = replayed[2]


def test_scan_results_with_a_warm_index_equal_a_cold_scan(tmp_path: Path) -> None:
    _tree(tmp_path)
    _age(tmp_path)
    cache = tmp_path.parent / f"{tmp_path.name}-cache"
    options = ScanOptions(cache_dir=str(cache), jobs=1, reproducible=True)
    cold = scan(
        [tmp_path],
        ScanOptions(use_cache=False, jobs=1),
        detectors=[SeeAllDetector()],
        catalog=empty_catalog(),
    )
    first = scan([tmp_path], options, detectors=[SeeAllDetector()], catalog=empty_catalog())
    (tmp_path / "src/a.py").write_text("edited\n")
    (tmp_path / "src/new.py").write_text("new\n")
    warm = scan([tmp_path], options, detectors=[SeeAllDetector()], catalog=empty_catalog())
    cold_after = scan(
        [tmp_path],
        ScanOptions(use_cache=False, jobs=1),
        detectors=[SeeAllDetector()],
        catalog=empty_catalog(),
    )
    assert first.components == cold.components
    assert warm.components == cold_after.components
    assert warm.stats.files_seen == cold_after.stats.files_seen
