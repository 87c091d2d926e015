"""Pathological trees: the scan always completes, with a clear warning for what it cannot read.

Each case builds a real tree in a temporary directory (special files, permission-denied
entries as an unprivileged user, paths longer than the system allows, `.git` files of
worktrees and submodules, overlapping roots, files that change under the scan) and runs the
real walker and engine over it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aims.catalog.model import Catalog
from aims.inventory import Inventory
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.engine import ScanOptions, scan
from aims.scanner.walker import Walker, WalkOptions, read_file
from tests.fixtures.engine.fakes import SeeAllDetector, empty_catalog


def write(root: Path, relpath: str, content: str | bytes = "x\n") -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def walk(*roots: Path | str) -> tuple[list[str], Walker]:
    w = Walker(WalkOptions())
    return [e.relpath for e in w.walk([str(r) for r in roots])], w


def run(*roots: Path | str, detectors: list[object] | None = None) -> Inventory:
    return scan(
        [str(r) for r in roots],
        ScanOptions(jobs=1, use_cache=False),
        detectors=detectors or [SeeAllDetector()],  # type: ignore[list-item]
        catalog=empty_catalog(),
    )


def messages(inventory_or_walker: Inventory | Walker) -> dict[str, str]:
    return {w.path: w.message for w in inventory_or_walker.warnings}


# -- special files ----------------------------------------------------------------------------


def test_fifos_sockets_and_devices_in_a_tree_are_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "app.py")
    os.mkfifo(tmp_path / "pipe.py")
    monkeypatch.chdir(tmp_path)  # a socket path is limited to about 100 bytes
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("agent.sock")
        specials = ["agent.sock", "pipe.py"]
        try:
            os.mknod(tmp_path / "null.py", stat.S_IFCHR | 0o600, os.makedev(1, 3))
            specials.append("null.py")
        except (PermissionError, OSError):
            pass  # creating a device needs privileges; the FIFO and the socket still count
        inventory = run(tmp_path)
    assert [c.name for c in inventory.components] == ["app.py"]
    assert messages(inventory) == dict.fromkeys(
        specials, "not a regular file (FIFO, socket or device): skipped"
    )
    assert inventory.stats.files_skipped == len(specials)


def test_a_special_file_given_as_the_path_is_a_warning_naming_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    paths, w = walk(tmp_path / "pipe")
    assert paths == []
    assert messages(w) == {
        (tmp_path / "pipe").as_posix(): "not a regular file or directory: skipped"
    }


def test_a_file_replaced_by_a_fifo_after_the_walk_is_never_read_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "config.json"
    os.mkfifo(fifo)

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("read_file blocked on a FIFO")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(5)
    try:
        with pytest.raises(OSError, match="not a regular file"):
            read_file(str(fifo), "config.json", 10, 1024)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- permissions ------------------------------------------------------------------------------


_DROP_DAC = "-dac_override,-dac_read_search"


def _scan_without_privileges(root: Path) -> subprocess.CompletedProcess[str]:
    """Run `aims scan` on `root` in a child that file permissions apply to.

    NOTE: tests run as root, which reads every file whatever its mode. `setpriv` (util-linux)
    starts the child without the capabilities that bypass permission checks, so root is
    refused a mode-000 file like any user.
    """
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "PYTHONPATH": os.pathsep.join(sys.path),
        "XDG_CACHE_HOME": str(root.parent / "cache"),
    }
    command = [sys.executable, "-m", "aims", "scan", str(root), "-f", "json", "-j", "1"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        command = [setpriv, f"--inh-caps={_DROP_DAC}", f"--bounding-set={_DROP_DAC}", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def test_permission_denied_directories_and_files_are_warnings(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "ok.py", "import openai\n")
    write(root, "locked/inner.py", "import anthropic\n")
    write(root, "secret.py", "import mistralai\n")
    (root / "locked").chmod(0o000)
    (root / "secret.py").chmod(0o000)
    try:
        result = _scan_without_privileges(root)
    finally:
        (root / "locked").chmod(0o755)
        (root / "secret.py").chmod(0o644)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    warnings = {w["path"]: w["message"] for w in document["warnings"]}
    assert warnings == {
        "locked": "cannot read: Permission denied",
        "secret.py": "cannot read: Permission denied",
    }
    evidence = {e["path"] for c in document["components"] for e in c["evidence"]}
    assert evidence == {"ok.py"}
    assert result.stderr.strip().endswith("2 warnings")


# -- names and depth --------------------------------------------------------------------------


def test_very_long_file_names_are_scanned(tmp_path: Path) -> None:
    name = "n" * 250 + ".py"
    nested = "/".join(["d" * 200] * 10)
    write(tmp_path, name)
    write(tmp_path, f"{nested}/{name}")
    paths, w = walk(tmp_path)
    assert paths == [name, f"{nested}/{name}"]
    assert w.warnings == []


def _make_chain(base: Path, depth: int) -> None:
    """Create `base/d/d/.../d/leaf.py` `depth` levels deep, beyond PATH_MAX, through fds."""
    fd = os.open(base, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        leaf = os.open("leaf.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf, b"import openai\n")
        os.close(leaf)
    finally:
        os.close(fd)


def _remove_chain(base: Path) -> None:
    """Remove a chain too deep for `shutil.rmtree` (recursive in Python 3.11)."""
    fds = [os.open(base, os.O_RDONLY)]
    try:
        while "d" in os.listdir(fds[-1]):
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        while fds:
            fd = fds.pop()
            for name in os.listdir(fd):
                if name != "d":
                    os.unlink(name, dir_fd=fd)
            if fds:
                os.rmdir("d", dir_fd=fds[-1])
            os.close(fd)
    finally:
        for fd in fds:
            os.close(fd)


def test_a_10000_deep_directory_chain_ends_with_one_warning(tmp_path: Path) -> None:
    chain = tmp_path / "chain"
    chain.mkdir()
    write(tmp_path, "top.py")
    _make_chain(chain, 10_000)
    try:
        inventory = run(tmp_path)
    finally:
        _remove_chain(chain)
    assert [c.name for c in inventory.components] == ["top.py"]
    # The walk goes as deep as the system lets a path go, then reports where it stopped.
    [(path, message)] = messages(inventory).items()
    assert path.startswith("chain/d/d/") and path.endswith("/d")
    assert message == "cannot read: File name too long"


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.sets(
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cs",), blacklist_characters="/\\\0", min_codepoint=32
            ),
            min_size=1,
            max_size=40,
        ).filter(lambda n: n not in (".", "..") and len(n.encode()) <= 200),
        min_size=1,
        max_size=8,
    )
)
def test_any_file_names_are_each_walked_once_in_order(names: set[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        created = []
        for name in names:
            if name in (".git", ".aims", "aims-policy.yaml", ".aims-baseline.json", ".gitignore"):
                continue
            (root / name).write_text("x\n")
            created.append(name)
        paths, w = walk(root)
    assert paths == sorted(created)
    assert w.warnings == []


# -- files changing under the scan ------------------------------------------------------------


class _Saboteur:
    """On `a.py`, deletes `b.py` and truncates `c.py` (later in the walk order) in place."""

    name = "saboteur"
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        return name.endswith(".py")

    def keywords(self, catalog: Catalog) -> None:
        return None

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        if file.name == "a.py":
            folder = os.path.dirname(file.abspath)
            os.unlink(os.path.join(folder, "b.py"))
            with open(os.path.join(folder, "c.py"), "r+b") as handle:
                handle.truncate(3)
        return SeeAllDetector().detect(file, ctx)


def test_files_deleted_or_truncated_mid_scan(tmp_path: Path) -> None:
    write(tmp_path, "a.py", "a\n")
    write(tmp_path, "b.py", "b\n")
    write(tmp_path, "c.py", "c" * 5000)
    inventory = run(tmp_path, detectors=[_Saboteur()])
    seen = {c.name: c.properties for c in inventory.components}
    assert seen == {"a.py": {"read": 2, "size": 2}, "c.py": {"read": 3, "size": 3}}
    assert messages(inventory) == {"b.py": "vanished during the scan"}


def test_a_file_that_grows_past_the_limit_mid_scan_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "grow.json", "{}")
    with open(path, "ab") as handle:
        handle.write(b" " * 4096)
    result = read_file(str(path), "grow.json", 2, 1024)
    assert result.data is None
    assert result.warning == "larger than the size limit (1024 bytes): skipped"


# -- git layouts ------------------------------------------------------------------------------


def _git_layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A main checkout, a linked worktree and a submodule, laid out as git lays them out."""
    main = tmp_path / "main"
    (main / ".git" / "info").mkdir(parents=True)
    (main / ".git" / "info" / "exclude").write_text("*.local.py\n")
    admin = main / ".git" / "worktrees" / "feature"
    admin.mkdir(parents=True)
    (admin / "commondir").write_text("../..\n")
    worktree = tmp_path / "feature"
    worktree.mkdir()
    (worktree / ".git").write_text(f"gitdir: {admin}\n")
    modules = main / ".git" / "modules" / "sub"
    (modules / "info").mkdir(parents=True)
    (modules / "info" / "exclude").write_text("*.gen.py\n")
    sub = main / "sub"
    sub.mkdir()
    (sub / ".git").write_text("gitdir: ../.git/modules/sub\n")
    for folder in (main, worktree, sub):
        write(folder, "app.py")
        write(folder, "notes.local.py")
        write(folder, "schema.gen.py")
    return main, worktree, sub


def test_a_linked_worktree_uses_the_shared_exclude_file(tmp_path: Path) -> None:
    _, worktree, _ = _git_layout(tmp_path)
    paths, w = walk(worktree)
    assert paths == ["app.py", "schema.gen.py"]
    assert w.warnings == []


def test_a_submodule_uses_its_own_exclude_file(tmp_path: Path) -> None:
    main, _, sub = _git_layout(tmp_path)
    paths, w = walk(sub)
    assert paths == ["app.py", "notes.local.py"]
    assert w.warnings == []
    # From the superproject, the submodule's files are part of the tree; `.git` files never.
    paths, w = walk(main)
    assert paths == ["app.py", "schema.gen.py", "sub/app.py", "sub/schema.gen.py"]
    assert w.warnings == []


def test_a_dangling_gitdir_file_is_no_warning(tmp_path: Path) -> None:
    write(tmp_path, ".git", "gitdir: /nonexistent/modules/x\n")
    write(tmp_path, "app.py")
    paths, w = walk(tmp_path)
    assert paths == ["app.py"]
    assert w.warnings == []


# -- roots ------------------------------------------------------------------------------------


def test_a_root_that_is_a_symbolic_link_is_walked_like_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write(real, "app.py")
    write(real, "src/model.py")
    write(real, ".gitignore", "ignored.py\n")
    write(real, "ignored.py")
    os.symlink("src", real / "zlink")  # a link inside the tree, to a directory inside it
    link = tmp_path / "link"
    os.symlink(real, link)
    direct, _ = walk(real)
    through, w = walk(link)
    assert through == direct == [".gitignore", "app.py", "src/model.py"]
    assert messages(w) == {"zlink": "symbolic link to a directory already scanned: skipped"}


def test_a_single_file_root(tmp_path: Path) -> None:
    path = write(tmp_path, "deep/app.py", "import openai\n")
    inventory = run(path)
    assert [c.evidence[0].path for c in inventory.components] == ["app.py"]
    assert inventory.roots == [path.as_posix()]
    assert inventory.warnings == []


@pytest.mark.parametrize(
    ("given_roots", "skipped"),
    [
        (["a", "a/b"], {"a/b": True}),
        (["a/b", "a"], {}),
        (["a", "a"], {"a": True}),
        (["a", "a/b/deep.py"], {"a/b/deep.py": True}),
        (["a/b/deep.py", "a"], {}),
    ],
)
def test_overlapping_roots_scan_each_file_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    given_roots: list[str],
    skipped: dict[str, bool],
) -> None:
    write(tmp_path, "a/top.py")
    write(tmp_path, "a/b/deep.py")
    monkeypatch.chdir(tmp_path)
    inventory = run(*given_roots)
    files = sorted(e.path for c in inventory.components for e in c.evidence)
    assert files == ["a/b/deep.py", "a/top.py"]
    assert messages(inventory) == dict.fromkeys(
        skipped, "already scanned as part of another path given: skipped"
    )


# -- size -------------------------------------------------------------------------------------


def _chunks() -> Iterator[bytes]:
    line = b"var a=function(t){return t+1};" * 1000
    for _ in range(100 * 1024 * 1024 // len(line) + 1):
        yield line


@pytest.fixture(scope="module")
def minified(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("minified")
    with open(root / "bundle.min.js", "wb") as handle:
        for chunk in _chunks():
            handle.write(chunk)
        handle.write(b'fetch("https://api.openai.com/v1/chat/completions")\n')
    return root


def test_a_100_mb_single_line_file_is_skipped_with_a_warning(minified: Path) -> None:
    inventory = run(minified)
    assert inventory.components == []
    [(path, message)] = messages(inventory).items()
    assert path == "bundle.min.js"
    assert message.startswith("larger than the size limit (") and "--max-file-size" in message


def test_a_lock_file_with_50000_entries_is_read_past_the_text_size_limit(tmp_path: Path) -> None:
    from aims.catalog import load_catalog
    from aims.scanner.detectors.manifests import ManifestDetector

    packages: dict[str, object] = {"": {"name": "app", "dependencies": {"openai": "^4.0.0"}}}
    for i in range(50_000):
        packages[f"node_modules/pkg-{i}"] = {
            "version": f"1.{i % 50}.0",
            "resolved": f"https://registry.npmjs.org/pkg-{i}/-/pkg-{i}-1.{i % 50}.0.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
        }
    packages["node_modules/openai"] = {"version": "4.20.0"}
    packages["node_modules/@anthropic-ai/sdk"] = {"version": "0.20.0"}
    lock = {"name": "app", "lockfileVersion": 3, "requires": True, "packages": packages}
    write(tmp_path, "package-lock.json", json.dumps(lock, indent=2))
    write(tmp_path, "package.json", json.dumps({"dependencies": {"openai": "^4.0.0"}}))
    assert (tmp_path / "package-lock.json").stat().st_size > 8 * 1024 * 1024
    inventory = scan(
        [str(tmp_path)],
        ScanOptions(jobs=1, use_cache=False),
        detectors=[ManifestDetector()],
        catalog=load_catalog(),
    )
    sdks = {(c.name, c.version, c.direct) for c in inventory.components if c.type == "sdk"}
    assert sdks == {("openai", "4.20.0", True), ("@anthropic-ai/sdk", "0.20.0", False)}
    assert inventory.warnings == []


@settings(max_examples=60)
@given(
    content=st.binary(max_size=300)
    | st.binary(max_size=50).map(lambda b: b"gitdir: ../admin" + b)
    | st.just(b"gitdir: ../ad\0min\n"),
    commondir=st.none() | st.binary(max_size=100) | st.just(b"../x\0y\n"),
)
def test_any_gitdir_file_is_read_without_error(content: bytes, commondir: bytes | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        (Path(folder) / "admin").mkdir()
        if commondir is not None:
            (Path(folder) / "admin" / "commondir").write_bytes(commondir)
        write(repo, ".git", content)
        write(repo, "app.py")
        paths, w = walk(repo)
    assert paths == ["app.py"]
    assert w.warnings == []


def test_non_utf8_directory_and_root_names_never_break_the_writers(tmp_path: Path) -> None:
    from aims.output import RenderOptions, get_writer

    base = os.fsencode(tmp_path)
    os.makedirs(os.path.join(base, b"tree", b"bad\xffdir"))
    with open(os.path.join(base, b"tree", b"bad\xffdir", b"app.py"), "w") as handle:
        handle.write("import openai\n")
    write(tmp_path, "tree/good.py")
    inventory = run(tmp_path / "tree")
    assert [c.name for c in inventory.components] == ["good.py"]
    assert messages(inventory) == {"bad?dir": "directory name is not valid UTF-8: skipped"}
    # A root whose own name is not UTF-8 is scanned, and named with `?` in the output.
    odd_root = os.fsdecode(os.path.join(base, b"tree", b"bad\xffdir"))
    inventory = run(odd_root, tmp_path / "tree" / "good.py")
    assert sorted(c.evidence[0].path for c in inventory.components) == [
        (tmp_path / "tree" / "bad?dir" / "app.py").as_posix(),
        (tmp_path / "tree" / "good.py").as_posix(),
    ]
    for fmt in ("json", "cyclonedx", "spdx", "markdown", "table"):
        text = get_writer(fmt).render(inventory, RenderOptions(reproducible=True))
        text.encode("utf-8")
