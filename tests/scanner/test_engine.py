"""Engine: determinism across worker counts, failing detectors, prefilter exactness, options."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aims.errors import UsageError
from aims.inventory import Inventory
from aims.scanner.engine import _SERIAL_THRESHOLD, ScanOptions, scan
from aims.scanner.gitdiff import changed_files
from aims.scanner.prefilter import Prefilter, available_backends
from tests.fixtures.engine.fakes import KeywordDetector, RaisingDetector, empty_catalog


def comparable(inventory: Inventory) -> dict[str, Any]:
    data = dataclasses.asdict(inventory)
    data["stats"].pop("duration_seconds")
    return data


def build_tree(root: Path, files: int) -> None:
    for i in range(files):
        folder = root / f"pkg{i % 7}"
        folder.mkdir(exist_ok=True)
        body = f"import os\nvalue = {i}\n"
        if i % 5 == 0:
            body += "from openai import OpenAI\nclient = OpenAI()\n"
        if i % 11 == 0:
            body += "import anthropic\n"
        (folder / f"mod{i}.py").write_text(body)


def test_jobs_1_and_jobs_2_give_identical_inventories(tmp_path: Path) -> None:
    build_tree(tmp_path, _SERIAL_THRESHOLD + 150)
    detectors = [KeywordDetector(b"openai"), KeywordDetector(b"anthropic", name="fake-anthropic")]
    results = [
        scan(
            [str(tmp_path)],
            ScanOptions(jobs=jobs, use_cache=False, reproducible=True),
            detectors=detectors,
            catalog=empty_catalog(),
        )
        for jobs in (1, 2)
    ]
    assert comparable(results[0]) == comparable(results[1])
    inventory = results[0]
    assert inventory.generated_at is None
    assert inventory.stats.files_seen == _SERIAL_THRESHOLD + 150
    sdk = {c.name: c for c in inventory.components if c.type == "sdk"}
    assert len(sdk["openai"].evidence) == 2 * len(range(0, _SERIAL_THRESHOLD + 150, 5))
    assert sdk["openai"].evidence[0].path == "pkg0/mod0.py"
    assert [e.line for e in sdk["openai"].evidence[:2]] == [3, 4]
    # The provider component is derived from the SDK components' `provider` field.
    providers = [c for c in inventory.components if c.type == "provider"]
    assert [p.name for p in providers] == ["openai"]


def test_a_detector_that_raises_is_a_warning_and_the_scan_goes_on(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("import openai\n")
    (tmp_path / "good.py").write_text("import openai\n")
    inventory = scan(
        [str(tmp_path)],
        ScanOptions(jobs=1, use_cache=False),
        detectors=[RaisingDetector(), KeywordDetector(b"openai")],
        catalog=empty_catalog(),
    )
    assert [(w.path, w.message) for w in inventory.warnings] == [
        ("bad.py", "detector fake-raise failed: RuntimeError: boom")
    ]
    datasets = [c.name for c in inventory.components if c.type == "dataset"]
    assert datasets == ["good.py"]
    sdk = next(c for c in inventory.components if c.type == "sdk")
    assert [e.path for e in sdk.evidence] == ["bad.py", "good.py"]


def test_only_paths_and_detector_subset(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import openai\nimport anthropic\n")
    (tmp_path / "b.py").write_text("import openai\n")
    detectors = [KeywordDetector(b"openai"), KeywordDetector(b"anthropic", name="fake-anthropic")]
    inventory = scan(
        [str(tmp_path)],
        ScanOptions(jobs=1, use_cache=False, only_paths=frozenset({"a.py"})),
        detectors=detectors,
        catalog=empty_catalog(),
    )
    assert sorted({e.path for c in inventory.components for e in c.evidence}) == ["a.py"]
    inventory = scan(
        [str(tmp_path)],
        ScanOptions(jobs=1, use_cache=False, detectors=("fake-anthropic",)),
        detectors=detectors,
        catalog=empty_catalog(),
    )
    assert [c.name for c in inventory.components if c.type == "sdk"] == ["anthropic"]
    with pytest.raises(UsageError, match="unknown detector 'nope'"):
        scan(
            [str(tmp_path)],
            ScanOptions(detectors=("nope",)),
            detectors=detectors,
            catalog=empty_catalog(),
        )


def test_prefilter_is_case_insensitive_through_lowering(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from OpenAI import X\n")
    inventory = scan(
        [str(tmp_path)],
        ScanOptions(jobs=1, use_cache=False),
        detectors=[KeywordDetector(b"openai")],
        catalog=empty_catalog(),
    )
    assert [c.name for c in inventory.components if c.type == "sdk"] == ["openai"]


KEYWORD = st.binary(min_size=1, max_size=6).map(bytes.lower)


@settings(max_examples=150)
@given(
    sets=st.lists(st.one_of(st.none(), st.lists(KEYWORD, max_size=6)), min_size=1, max_size=5),
    text=st.binary(max_size=300),
    pieces=st.lists(KEYWORD, max_size=3),
    candidates=st.integers(min_value=0, max_value=31),
)
def test_prefilter_never_hides_a_file_a_detector_would_match(
    sets: list[list[bytes] | None], text: bytes, pieces: list[bytes], candidates: int
) -> None:
    raw = text + b"".join(pieces).upper()
    lowered = raw.lower()
    expected = 0
    for index, keywords in enumerate(sets):
        if not candidates >> index & 1:
            continue
        if keywords is None or any(k in lowered for k in keywords):
            expected |= 1 << index
    for backend in available_backends():
        assert Prefilter(sets, backend).select(raw, candidates) == expected, backend


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "HOME": str(root),
            "PATH": "/usr/bin:/bin",
        },
    ).stdout


def test_changed_files_since_the_merge_base(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / ".gitignore").write_text("*.log\n")
    (tmp_path / "keep.py").write_text("a\n")
    (tmp_path / "edit.py").write_text("a\n")
    (tmp_path / "old_name.py").write_text("rename me\n" * 5)
    (tmp_path / "gone.py").write_text("a\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    (tmp_path / "edit.py").write_text("b\n")
    git(tmp_path, "mv", "old_name.py", "new_name.py")
    git(tmp_path, "rm", "-q", "gone.py")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "added.py").write_text("new\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "feature")
    (tmp_path / "keep.py").write_text("changed in work tree\n")
    (tmp_path / "untracked.py").write_text("u\n")
    (tmp_path / "noise.log").write_text("ignored\n")
    assert changed_files(str(tmp_path), "main") == [
        "edit.py",
        "keep.py",
        "new_name.py",
        "sub/added.py",
        "untracked.py",
    ]
    assert changed_files(str(tmp_path / "sub"), "main") == ["added.py"]
    with pytest.raises(UsageError, match="unknown git reference 'nope'"):
        changed_files(str(tmp_path), "nope")


def test_changed_files_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not inside a git work tree"):
        changed_files(str(tmp_path), "main")
