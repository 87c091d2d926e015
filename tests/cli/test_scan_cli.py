"""`aims scan` on the command line: exit codes, stdout data, stderr summary, options."""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import aims.output as output_module
from aims.cli.main import app
from aims.cli.scan import parse_size
from aims.errors import UsageError
from aims.inventory import Inventory
from aims.output import RenderOptions
from aims.scanner import engine
from tests.fixtures.engine.fakes import KeywordDetector, empty_catalog


class FakeWriter:
    """Renders the inventory as JSON through dataclasses (tests only)."""

    name = "json"
    media_type = "application/json"
    seen: list[RenderOptions] = []

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        FakeWriter.seen.append(options)
        data = asdict(inventory)
        data["stats"].pop("duration_seconds")
        return json.dumps(data, default=str, sort_keys=True)


@pytest.fixture(autouse=True)
def fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    FakeWriter.seen = []
    monkeypatch.setattr(output_module, "get_writer", lambda name: FakeWriter())
    real_scan = engine.scan

    def scan(paths: Any, options: Any = None, **kwargs: Any) -> Inventory:
        kwargs.setdefault("detectors", [KeywordDetector(b"openai")])
        kwargs.setdefault("catalog", empty_catalog())
        return real_scan(paths, options, **kwargs)

    monkeypatch.setattr(engine, "scan", scan)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CI", raising=False)


def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "app.py").write_text("import openai\n")
    (root / "util.py").write_text("import os\n")
    return root


def test_scan_writes_data_to_stdout_and_summary_to_stderr(tmp_path: Path) -> None:
    root = repo(tmp_path)
    result = CliRunner().invoke(
        app, ["scan", str(root), "--format", "json", "--reproducible", "--no-progress"]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["generated_at"] is None
    assert [c["name"] for c in document["components"]] == ["openai", "openai"]
    assert document["components"][1]["evidence"][0]["path"] == "app.py"
    assert result.stderr.startswith("scanned 2 files in ")
    assert result.stderr.rstrip().endswith(": 2 components, 1 findings, 0 warnings")
    assert FakeWriter.seen == [RenderOptions(reproducible=True, spec_version=None, color=False)]


def test_output_file_quiet_and_env_vars(tmp_path: Path) -> None:
    root = repo(tmp_path)
    target = tmp_path / "inv.json"
    result = CliRunner().invoke(
        app,
        ["scan", str(root), "-o", str(target), "-q"],
        env={"AIMS_FORMAT": "cyclonedx", "AIMS_CYCLONEDX_VERSION": "1.7", "AIMS_NO_CACHE": "1"},
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
    assert json.loads(target.read_text())["roots"] == [str(root)]
    assert FakeWriter.seen[0].spec_version == "1.7"
    assert not (tmp_path / "xdg").exists()


def test_second_run_uses_the_cache(tmp_path: Path) -> None:
    root = repo(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["scan", str(root), "-f", "json"])
    second = runner.invoke(app, ["scan", str(root), "-f", "json"])
    assert first.exit_code == second.exit_code == 0
    assert ", 2 from cache:" in second.stderr
    assert (tmp_path / "xdg" / "aims").is_dir()


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    root = repo(tmp_path)
    result = CliRunner().invoke(app, ["scan", str(root), str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"path does not exist: {tmp_path / 'nope'}" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "unknown format 'xml'"),
        (["--cyclonedx-version", "1.2"], "unsupported CycloneDX version '1.2'"),
        (["--max-file-size", "lots"], "invalid size 'lots'"),
        (["--detector", "nope"], "unknown detector 'nope'"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["scan", str(repo(tmp_path)), *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_unwritable_output_is_a_tool_error_found_before_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path)

    def never(*args: object, **kwargs: object) -> Inventory:
        raise AssertionError("the scan ran although its output cannot be written")

    monkeypatch.setattr(engine, "scan", never)
    target = tmp_path / "missing-dir" / "x.json"
    result = CliRunner().invoke(app, ["scan", str(root), "-o", str(target)])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"aims: error: cannot write {target}: the directory {target.parent} does not exist",
        "hint: create it first, or choose another --output",
    ]
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "Invalid value for '--jobs' / '-j'"),
        (["--jobs", "many"], "Invalid value for '--jobs' / '-j'"),
        (["--bogus"], "No such option: --bogus"),
        (["--format"], "Option '--format' requires an argument."),
        (["-o", "."], "is a directory"),
        (["--max-file-size", "abc"], "invalid size 'abc' for --max-file-size"),
        (["--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_usage_errors_are_one_line_and_a_hint(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["scan", str(repo(tmp_path)), *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    first, hint = result.stderr.splitlines()
    assert first.startswith("aims: error: ") and message in first
    assert hint.startswith("hint: ")
    assert "Traceback" not in result.stderr


def test_verbose_after_the_command_lists_the_warnings(tmp_path: Path) -> None:
    root = repo(tmp_path)
    (root / "big.py").write_text("import openai\n" * 100)
    result = CliRunner().invoke(
        app, ["scan", str(root), "-v", "--max-file-size", "1k", "--no-cache", "-q"]
    )
    assert result.exit_code == 0, result.stderr
    assert "aims: INFO: big.py: larger than the size limit (1400 > 1024 bytes)" in result.stderr


def test_a_single_file_and_overlapping_paths(tmp_path: Path) -> None:
    root = repo(tmp_path)
    single = CliRunner().invoke(app, ["scan", str(root / "app.py"), "-f", "json", "--no-cache"])
    assert single.exit_code == 0, single.stderr
    assert json.loads(single.stdout)["roots"] == [str(root / "app.py")]
    assert single.stderr.startswith("scanned 1 files")
    both = CliRunner().invoke(
        app, ["scan", str(root), str(root / "app.py"), "-f", "json", "--no-cache", "-v"]
    )
    assert both.exit_code == 0, both.stderr
    assert "already scanned as part of another path given: skipped" in both.stderr
    assert both.stderr.rstrip().endswith("1 warnings")


def test_internal_failure_is_a_tool_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> Inventory:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "scan", broken)
    result = CliRunner().invoke(app, ["scan", str(repo(tmp_path))])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "internal error: RuntimeError: disk on fire" in result.stderr


def test_diff_base_scans_only_changed_files(tmp_path: Path) -> None:
    root = repo(tmp_path)
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)
    (root / "new.py").write_text("import openai  # new\n")
    result = CliRunner().invoke(
        app, ["scan", str(root), "-f", "json", "--diff-base", "main", "--no-cache"]
    )
    assert result.exit_code == 0, result.stderr
    paths = {e["path"] for c in json.loads(result.stdout)["components"] for e in c["evidence"]}
    assert paths == {"new.py"}
    assert result.stderr.startswith("scanned 1 files")
    bad = CliRunner().invoke(app, ["scan", str(root), "--diff-base", "no-such-ref"])
    assert bad.exit_code == 2
    assert "unknown git reference 'no-such-ref'" in bad.stderr
    outside = CliRunner().invoke(app, ["scan", str(tmp_path / "repo" / ".."), "--diff-base", "x"])
    assert outside.exit_code == 2
    assert "not inside a git work tree" in outside.stderr


def test_parse_size() -> None:
    assert parse_size("2M") == 2 * 1024 * 1024
    assert parse_size("512k") == 512 * 1024
    assert parse_size("1.5MiB") == 1572864
    assert parse_size("100") == 100
    with pytest.raises(UsageError):
        parse_size("-1")
