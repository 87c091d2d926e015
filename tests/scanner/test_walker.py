"""Walker: .gitignore semantics, vendored trees, symlinks, deep trees, unreadable and odd files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.scanner import walker as walker_module
from aims.scanner.engine import ScanOptions, scan
from aims.scanner.walker import (
    MODEL_HEADER_SIZE,
    Walker,
    WalkOptions,
    hash_file,
    model_format,
    read_file,
)
from tests.fixtures.engine.fakes import SeeAllDetector, empty_catalog


def write(root: Path, relpath: str, content: str | bytes = "x\n") -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def walk(root: Path | list[Path], **options: bool) -> tuple[list[str], Walker]:
    w = Walker(WalkOptions(**options))
    roots = root if isinstance(root, list) else [root]
    return [e.relpath for e in w.walk([str(r) for r in roots])], w


def test_gitignore_negation_and_nested_files(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*.log\n!keep.log\nout/\n# comment\n")
    for rel in [
        "app.py",
        "debug.log",
        "keep.log",
        "out/gen.py",
        "sub/.gitignore",
        "sub/a.tmp",
        "sub/important.tmp",
        "sub/sub.log",
        "sub/deeper/x.tmp",
        "sub/private/k.py",
        "other/a.tmp",
    ]:
        write(tmp_path, rel)
    (tmp_path / "sub/.gitignore").write_text("*.tmp\n!important.tmp\n!sub.log\nprivate/\n")
    paths, w = walk(tmp_path)
    assert paths == [
        ".gitignore",
        "app.py",
        "keep.log",
        "other/a.tmp",
        "sub/.gitignore",
        "sub/important.tmp",
        "sub/sub.log",
    ]
    assert w.warnings == []


def test_git_info_exclude_and_parent_gitignore_of_a_subdirectory_root(tmp_path: Path) -> None:
    write(tmp_path, ".git/info/exclude", "*.secret\n")
    write(tmp_path, ".git/HEAD", "ref: refs/heads/main\n")
    write(tmp_path, ".gitignore", "pkg/generated/\n")
    write(tmp_path, "pkg/a.py")
    write(tmp_path, "pkg/b.secret")
    write(tmp_path, "pkg/generated/c.py")
    assert walk(tmp_path)[0] == [".gitignore", "pkg/a.py"]
    # Scanning the subdirectory alone still honours the repository's ignore rules.
    assert walk(tmp_path / "pkg")[0] == ["a.py"]
    assert walk(tmp_path, honour_gitignore=False)[0] == [
        ".gitignore",
        "pkg/a.py",
        "pkg/b.secret",
        "pkg/generated/c.py",
    ]


def test_a_root_its_enclosing_repository_ignores_is_scanned_on_its_own(tmp_path: Path) -> None:
    write(tmp_path, ".git/HEAD", "ref: refs/heads/main\n")
    write(tmp_path, ".gitignore", "*\n!.gitignore\n")  # a dotfiles-style repository
    write(tmp_path, "projects/app/.gitignore", "*.log\n")
    write(tmp_path, "projects/app/main.py")
    write(tmp_path, "projects/app/debug.log")
    assert walk(tmp_path)[0] == [".gitignore"]
    assert walk(tmp_path / "projects" / "app")[0] == [".gitignore", "main.py"]


def test_vendored_trees_are_skipped_unless_included(tmp_path: Path) -> None:
    for rel in [
        "src/app.py",
        "node_modules/openai/index.js",
        "web/node_modules/x/y.js",
        "vendor/github.com/x/y.go",
        "__pycache__/m.cpython-311.pyc",
        "venv-custom/pyvenv.cfg",
        "venv-custom/lib/site.py",
        "rust/Cargo.toml",
        "rust/target/debug/build.rs",
        "java/target/Main.java",  # no Maven/Cargo file next to it: real sources
        "py/setup.py",
        "py/build/lib/pkg.py",
        "tools/build/make_release.py",  # a source folder called build
        "cmake-out/build/CMakeCache.txt",
        "cmake-out/build/gen.c",
        ".git/config",
    ]:
        write(tmp_path, rel)
    paths, _ = walk(tmp_path)
    assert paths == [
        "java/target/Main.java",
        "py/setup.py",
        "rust/Cargo.toml",
        "src/app.py",
        "tools/build/make_release.py",
    ]
    everything, _ = walk(tmp_path, include_vendored=True)
    assert "node_modules/openai/index.js" in everything
    assert "venv-custom/lib/site.py" in everything
    assert "rust/target/debug/build.rs" in everything
    assert not any(p.startswith(".git/") for p in everything)
    assert len(everything) == 15


def test_cmake_build_tree_is_skipped_by_its_cache_file(tmp_path: Path) -> None:
    write(tmp_path, "a/CMakeCache.txt")
    write(tmp_path, "a/gen.c")
    write(tmp_path, "b.c")
    assert walk(tmp_path)[0] == ["b.c"]


def test_symlink_loops_end_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "a/file.py")
    os.symlink("..", tmp_path / "a" / "up")
    os.symlink(".", tmp_path / "a" / "self")
    os.symlink(str(tmp_path / "a"), tmp_path / "alias")
    os.symlink("/", tmp_path / "rootlink")
    os.symlink("missing", tmp_path / "dangling")
    paths, w = walk(tmp_path)
    assert paths == ["a/file.py"]
    messages = {x.path: x.message for x in w.warnings}
    assert messages["a/up"].startswith("symbolic link to a directory already scanned")
    assert messages["a/self"].startswith("symbolic link to a directory already scanned")
    assert messages["alias"].startswith("symbolic link to a directory already scanned")
    assert messages["rootlink"] == "symbolic link points outside the scan root: skipped"
    assert messages["dangling"] == "broken symbolic link: skipped"


def test_deep_tree_of_300_levels(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["d"] * 300)
    deep.mkdir(parents=True)
    (deep / "bottom.py").write_text("print('deep')\n")
    paths, w = walk(tmp_path)
    assert paths == ["/".join(["d"] * 300) + "/bottom.py"]
    assert w.warnings == []


def test_a_single_file_and_several_roots(tmp_path: Path) -> None:
    write(tmp_path, "one/a.py")
    write(tmp_path, "two/b.py")
    assert walk(tmp_path / "one" / "a.py")[0] == ["a.py"]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        w = Walker()
        assert [e.relpath for e in w.walk(["./one", "two/"])] == ["one/a.py", "two/b.py"]
    finally:
        os.chdir(cwd)


def test_invalid_utf8_file_name_is_a_warning(tmp_path: Path) -> None:
    os.close(os.open(os.path.join(os.fsencode(tmp_path), b"bad\xff.py"), os.O_CREAT | os.O_WRONLY))
    write(tmp_path, "good.py")
    paths, w = walk(tmp_path)
    assert paths == ["good.py"]
    assert [x.message for x in w.warnings] == ["file name is not valid UTF-8: skipped"]
    assert w.skipped == 1


def test_unreadable_directory_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "ok/a.py")
    write(tmp_path, "locked/b.py")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(walker_module.os, "scandir", scandir)
    paths, w = walk(tmp_path)
    assert paths == ["ok/a.py"]
    assert [(x.path, x.message) for x in w.warnings] == [
        ("locked", "cannot read: Permission denied")
    ]


def run(root: Path, **options: object) -> dict[str, dict[str, object]]:
    inventory = scan(
        [str(root)],
        ScanOptions(jobs=1, use_cache=False, **options),  # type: ignore[arg-type]
        detectors=[SeeAllDetector()],
        catalog=empty_catalog(),
    )
    seen = {c.name: c.properties for c in inventory.components}
    seen["warnings"] = {w.path: w.message for w in inventory.warnings}
    return seen


def test_unreadable_and_vanishing_files_are_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "ok.py", "fine\n")
    write(tmp_path, "locked.py", "secret\n")
    write(tmp_path, "gone.py", "soon gone\n")
    real_open = open

    def fake_open(path: str, mode: str = "r", *args: object, **kwargs: object) -> object:
        if str(path).endswith("locked.py"):
            raise PermissionError(13, "Permission denied")
        if str(path).endswith("gone.py"):
            raise FileNotFoundError(2, "No such file or directory")
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(walker_module, "open", fake_open, raising=False)
    seen = run(tmp_path)
    assert sorted(k for k in seen if k != "warnings") == ["ok.py"]
    assert seen["warnings"] == {
        "locked.py": "cannot read: Permission denied",
        "gone.py": "vanished during the scan",
    }


def test_binary_files_are_skipped_but_model_files_get_their_header(tmp_path: Path) -> None:
    big = MODEL_HEADER_SIZE * 3
    write(tmp_path, "blob.dat", b"\x00\x01\x02" * 100)
    write(tmp_path, "random.bin", b"\x00not a model" * 10)
    write(tmp_path, "model.gguf", b"GGUF" + b"\x00" * (big - 4))
    write(tmp_path, "weights", b"GGUF\x03\x00\x00\x00" + b"\x00" * 100)  # magic, no extension
    write(tmp_path, "pytorch_model.bin", b"PK\x03\x04" + b"\x00" * 200)
    write(tmp_path, "latin1.txt", "caf\xe9 na\xefve".encode("latin-1"))
    seen = run(tmp_path, max_file_size=MODEL_HEADER_SIZE)
    assert seen["model.gguf"] == {"read": MODEL_HEADER_SIZE, "size": big}
    assert seen["weights"] == {"read": 108, "size": 108}
    assert seen["pytorch_model.bin"] == {"read": 204, "size": 204}
    assert seen["latin1.txt"] == {"read": 10, "size": 10}
    assert "blob.dat" not in seen and "random.bin" not in seen
    assert seen["warnings"] == {}


def test_large_text_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "huge.json", "[" + "1," * 600 + "1]")
    write(tmp_path, "small.json", "[1]")
    seen = run(tmp_path, max_file_size=1000)
    assert "huge.json" not in seen
    assert seen["small.json"] == {"read": 3, "size": 3}
    assert seen["warnings"] == {
        "huge.json": "larger than the size limit (1203 > 1000 bytes): skipped "
        "(raise it with --max-file-size)"
    }


def test_model_format_by_name_and_magic() -> None:
    assert model_format("x.safetensors", b"") == "safetensors"
    assert model_format("saved_model.pb", b"") == "savedmodel"
    assert model_format("m.H5", b"") == "keras"
    assert model_format("blob", b"\x89HDF\r\n\x1a\n") == "keras"
    assert model_format("m", b"\x1c\x00\x00\x00TFL3") == "tflite"
    assert model_format("m", (20).to_bytes(8, "little") + b'{"a": 1}') == "safetensors"
    assert model_format("data.bin", b"\x80\x02}q") == "pytorch"
    assert model_format("data.bin", b"\x7fELF") is None
    assert model_format("notes.txt", b"hello") is None


def test_hash_file_streams_the_whole_file(tmp_path: Path) -> None:
    path = write(tmp_path, "m.gguf", b"GGUF" + b"\x01" * (3 * 1024 * 1024))
    import hashlib

    assert hash_file(path, chunk_size=4096) == hashlib.sha256(path.read_bytes()).hexdigest()


@given(st.binary(max_size=2048), st.sampled_from(["a.py", "m.gguf", "x.bin", "saved_model.pb"]))
def test_read_file_never_raises_on_arbitrary_bytes(content: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "wb") as handle:
            handle.write(content)
        result = read_file(path, name, len(content), 1024)
    if result.data is not None:
        assert len(result.data) <= max(len(content), 0)
        assert result.size == len(content)
    else:
        assert result.skip_reason in ("binary", "too large")


def test_aims_own_records_and_policy_are_not_scanned(tmp_path: Path) -> None:
    (tmp_path / ".aims/systems").mkdir(parents=True)
    (tmp_path / ".aims/systems/chat.yaml").write_text("models: [gpt-4o]\n")
    (tmp_path / "aims-policy.yaml").write_text("models:\n  denied: [text-davinci-003]\n")
    (tmp_path / ".aims-baseline.json").write_text("{}")
    (tmp_path / "app.py").write_text("import openai\n")
    paths = [e.relpath for e in Walker(WalkOptions()).walk([str(tmp_path)])]
    assert paths == ["app.py"]


def test_walk_only_resolves_listed_paths_with_the_skip_rules(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src/app.py").write_text("import openai\n")
    (tmp_path / "node_modules/x").mkdir(parents=True)
    (tmp_path / "node_modules/x/index.js").write_text("require('openai')\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text("[core]\n")
    (tmp_path / "aims-policy.yaml").write_text("version: 1\n")
    listed = [
        "src/app.py",
        "node_modules/x/index.js",
        ".git/config",
        "aims-policy.yaml",
        "gone.py",
        "../etc/passwd",
    ]
    walker = Walker(WalkOptions())
    assert [e.relpath for e in walker.walk_only(str(tmp_path), listed)] == ["src/app.py"]
    full = {e.relpath for e in Walker(WalkOptions()).walk([str(tmp_path)])}
    assert full == {"src/app.py"}


def test_a_large_binary_is_skipped_silently_and_large_text_with_a_warning(tmp_path: Path) -> None:
    big = 3 * 1024 * 1024
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0" + b"x" * big)
    (tmp_path / "dump.sql").write_text("insert into t values (1);\n" * (big // 20))
    result = scan(
        [str(tmp_path)],
        ScanOptions(use_cache=False),
        detectors=[SeeAllDetector()],
        catalog=empty_catalog(),
    )
    assert [w.path for w in result.warnings] == ["dump.sql"]


def test_partial_walks_concatenate_to_the_full_walk(tmp_path: Path) -> None:
    # A single-child chain (top/inner) above the split point, files on the way down.
    write(tmp_path, ".gitignore", "*.log\n")
    write(tmp_path, "README.md")
    write(tmp_path, "top/setup.txt")
    for name in ("alpha", "beta", "gamma", "delta", "epsilon"):
        write(tmp_path, f"top/inner/{name}/a.py")
        write(tmp_path, f"top/inner/{name}/deep/b.py")
        write(tmp_path, f"top/inner/{name}/noise.log")
    write(tmp_path, "top/inner/z.py")
    full, _ = walk(tmp_path)
    parts = []
    for index in range(2):
        w = Walker(WalkOptions())
        parts.append([e.relpath for e in w.walk([str(tmp_path)], part=(index, 2))])
        assert w.split_warnings == 0
    assert parts[0] + parts[1] == full
    assert parts[0] == [
        ".gitignore",
        "README.md",
        "top/setup.txt",
        "top/inner/z.py",
        "top/inner/alpha/a.py",
        "top/inner/alpha/deep/b.py",
        "top/inner/beta/a.py",
        "top/inner/beta/deep/b.py",
    ]
    assert parts[1][0] == "top/inner/delta/a.py"
    assert not any(p.endswith(".log") for p in full)


def test_partial_walk_without_a_split_point_leaves_everything_to_slice_0(tmp_path: Path) -> None:
    write(tmp_path, "only/one/chain/a.py")
    write(tmp_path, "b.py")
    w0, w1 = Walker(WalkOptions()), Walker(WalkOptions())
    assert [e.relpath for e in w0.walk([str(tmp_path)], part=(0, 2))] == [
        "b.py",
        "only/one/chain/a.py",
    ]
    assert list(w1.walk([str(tmp_path)], part=(1, 2))) == []
    assert w1.split_warnings is None


def test_notebooks_get_a_larger_size_allowance(tmp_path: Path) -> None:
    # A course notebook's saved plots make it megabytes of base64; its code cells are small.
    output = '{"output_type": "display_data", "data": {"image/png": "' + "A" * 3000 + '"}}'
    notebook = (
        '{"cells": [{"cell_type": "code", "source": ["import sklearn\\n"], "outputs": ['
        + output
        + "]}]}"
    ).encode()
    path = write(tmp_path, "course.ipynb", notebook)
    script = write(tmp_path, "big.py", b"x = 1\n" * 600)
    kept = read_file(str(path), "course.ipynb", len(notebook), 2048)
    assert kept.data == notebook
    assert read_file(str(script), "big.py", 3600, 2048).skip_reason == "too large"
    too_big = read_file(str(path), "course.ipynb", len(notebook), 256)
    assert too_big.skip_reason == "too large"
