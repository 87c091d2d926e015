"""Redaction, guaranteed: no planted key reaches any byte aims writes.

Keys of every catalog format are planted in a tree of many file types (and in git history);
the real `aims scan` CLI runs in a subprocess for every registered output format at `-vv`, with
its cache, config and home directories inside `tmp_path`. Every byte it writes (stdout, stderr,
the output file, the cache directory, the config directory, anything else under the temporary
home) is searched for each key and for every 10-character piece of each key's random body.
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aims.inventory import Inventory
from aims.output import RenderOptions, get_writer, writer_names
from aims.secrets.corpus import build_corpus
from aims.secrets.formats import load_key_formats
from aims.secrets.history import scan_history

WINDOW = 10


def _pieces(secret: str, prefix: str) -> set[str]:
    body = secret[len(prefix) :]
    return {body[i : i + WINDOW] for i in range(len(body) - WINDOW + 1)}


def _leaks(blob: bytes, planted: list[tuple[str, str, str]]) -> list[str]:
    """Return the formats whose key (or a 10-character piece of its body) occurs in `blob`."""
    text = blob.decode("utf-8", errors="replace")
    owner: dict[str, str] = {}
    for format_id, secret, prefix in planted:
        for piece in _pieces(secret, prefix):
            owner[piece] = format_id
    found = {
        owner[text[i : i + WINDOW]]
        for i in range(len(text) - WINDOW + 1)
        if text[i : i + WINDOW] in owner
    }
    return sorted(found)


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Tester",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "Tester",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def planted_tree(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[tuple[str, str, str]]]:
    """A tree with one key of every format in varied files, plus warnings-provoking files."""
    root = tmp_path_factory.mktemp("planted")
    tree = root / "tree"
    corpus = build_corpus(tree, None, keys_per_format=1, seed=99)
    formats = {f.id: f for f in load_key_formats()}
    planted = [(p.format_id, p.secret, formats[p.format_id].prefix) for p in corpus.planted]
    rng = random.Random(5)
    extra = formats["anthropic-api-key"].generate_key(rng)
    # A malformed notebook, a file over the size limit and invalid UTF-8, each holding a key.
    (tree / "broken.ipynb").write_text('{"cells": [ {"outputs": ["' + extra + '"')
    (tree / "big.txt").write_text(("ANTHROPIC_API_KEY=" + extra + "\n") * 5000)
    (tree / "latin1.py").write_bytes(b"\xff\xfe KEY = '" + extra.encode() + b"'\n")
    planted.append(("anthropic-api-key", extra, "sk-ant-api"))
    if shutil.which("git"):
        reverted = formats["openai-project-key"].generate_key(rng)
        _git(tree, "init", "-q")
        (tree / "old.env").write_text(f"OPENAI_API_KEY={reverted}\n")
        _git(tree, "add", "-A")
        _git(tree, "commit", "-q", "-m", "oops")
        _git(tree, "rm", "-q", "old.env")
        _git(tree, "commit", "-q", "-m", "remove key")
        planted.append(("openai-project-key", reverted, "sk-proj-"))
    return tree, planted


@functools.lru_cache(maxsize=1)
def _has_history_option() -> bool:
    proc = subprocess.run(
        [sys.executable, "-m", "aims", "scan", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "--history" in proc.stdout


@pytest.mark.parametrize("fmt", writer_names())
def test_cli_output_never_contains_a_planted_key(
    fmt: str, planted_tree: tuple[Path, list[tuple[str, str, str]]], tmp_path: Path
) -> None:
    tree, planted = planted_tree
    home = tmp_path / "home"
    home.mkdir()
    out_file = tmp_path / f"out.{fmt}"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AIMS_", "XDG_")) and k != "HOME"
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        NO_COLOR="1",
    )
    base = [sys.executable, "-m", "aims", "-vv", "scan", str(tree), "--format", fmt]
    base += ["--cache-dir", str(tmp_path / "cache"), "--max-file-size", "64k", "--no-progress"]
    if _has_history_option():
        base.append("--history")
    runs = [
        subprocess.run(
            base + ["--output", str(out_file)],
            env=env,
            capture_output=True,
            check=False,
            timeout=300,
        ),
        # Again to stdout, from the warm cache (cached results are rendered too).
        subprocess.run(base, env=env, capture_output=True, check=False, timeout=300),
    ]
    for proc in runs:
        assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")[-2000:]
    written = [proc.stdout for proc in runs] + [proc.stderr for proc in runs]
    written += [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    assert out_file.stat().st_size > 0
    assert (tmp_path / "cache").is_dir() and any((tmp_path / "cache").iterdir())
    for blob in written:
        assert _leaks(blob, planted) == []
    if fmt == "json":
        document = json.loads(runs[1].stdout)
        rules = [f["rule_id"] for f in document["findings"]] if "findings" in document else []
        # The test can fail: every planted work-tree key was really found (and then redacted).
        assert sum(r in ("AIM201", "AIM202") for r in rules) >= len(planted) - 2
        if _has_history_option() and (tree / ".git").is_dir():
            assert "AIM203" in rules  # the reverted key was found in history, and redacted


def test_history_findings_render_without_keys(
    planted_tree: tuple[Path, list[tuple[str, str, str]]],
) -> None:
    tree, planted = planted_tree
    if not (tree / ".git").is_dir():
        pytest.skip("git is not installed")
    scan = scan_history(tree)
    assert any(not f.properties["present_at_head"] for f in scan.findings)
    inventory = Inventory(roots=[str(tree)], components=scan.components, findings=scan.findings)
    inventory.warnings.extend(scan.warnings)
    for name in writer_names():
        document = get_writer(name).render(inventory, RenderOptions(reproducible=True))
        assert _leaks(document.encode(), planted) == [], name
    assert _leaks(repr(scan).encode(), planted) == []
