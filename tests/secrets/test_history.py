"""History scanning against a real git repository built in the test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from aims.errors import InputError
from aims.secrets.history import scan_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(
    repo: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00", author: str = "Alice"
) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": f"{author.lower()}@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": f"{author.lower()}@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def _notebook(secret: str, extra: str) -> str:
    cells = [
        {
            "cell_type": "code",
            "source": [extra],
            "outputs": [],
            "metadata": {},
            "execution_count": 1,
        },
        {
            "cell_type": "code",
            "source": ["print(client.api_key)"],
            "outputs": [{"output_type": "stream", "name": "stdout", "text": [secret + "\n"]}],
            "metadata": {},
            "execution_count": 2,
        },
    ]
    return json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1
    )


@pytest.fixture
def repo(
    tmp_path: Path, make_key: Callable[[str], str]
) -> tuple[Path, dict[str, str], dict[str, str]]:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    keys = {
        "reverted": make_key("anthropic-api-key"),
        "notebook": make_key("anthropic-api-key"),
        "branch": make_key("groq-api-key"),
    }
    commits: dict[str, str] = {}
    (repo / "README.md").write_text("# demo\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "init")
    (repo / ".env").write_text(f"# local\nANTHROPIC_API_KEY={keys['reverted']}\n")
    _git(repo, "add", ".env", date="2024-02-01T09:30:00+00:00", author="Bob")
    _git(
        repo,
        "commit",
        "-q",
        "-m",
        "add local config",
        date="2024-02-01T09:30:00+00:00",
        author="Bob",
    )
    commits["reverted"] = _git(repo, "rev-parse", "HEAD")
    _git(repo, "revert", "--no-edit", "HEAD", date="2024-02-02T09:30:00+00:00", author="Bob")
    (repo / "analysis.ipynb").write_text(_notebook(keys["notebook"], "x = 1"))
    _git(repo, "add", ".", date="2024-03-01T10:00:00+00:00", author="Carol")
    _git(repo, "commit", "-q", "-m", "notebook", date="2024-03-01T10:00:00+00:00", author="Carol")
    commits["notebook"] = _git(repo, "rev-parse", "HEAD")
    (repo / "analysis.ipynb").write_text(_notebook(keys["notebook"], "x = 2"))
    _git(repo, "commit", "-q", "-am", "rerun", date="2024-03-05T10:00:00+00:00", author="Dan")
    _git(repo, "checkout", "-q", "-b", "feature")
    (repo / "config.yaml").write_text(f"groq:\n  key: {keys['branch']}\n")
    _git(repo, "add", ".", date="2024-04-01T10:00:00+00:00", author="Eve")
    _git(repo, "commit", "-q", "-m", "wip", date="2024-04-01T10:00:00+00:00", author="Eve")
    commits["branch"] = _git(repo, "rev-parse", "HEAD")
    _git(repo, "checkout", "-q", "main")
    return repo, keys, commits


def test_history_finds_reverted_notebook_and_branch_keys(
    repo: tuple[Path, dict[str, str], dict[str, str]],
) -> None:
    root, keys, commits = repo
    scan = scan_history(root)
    by_path = {f.primary.path: f for f in scan.findings}
    assert sorted(by_path) == [".env", "analysis.ipynb", "config.yaml"]

    env = by_path[".env"]
    assert env.rule_id == "AIM203"
    assert env.primary.line == 2
    assert env.primary.commit == commits["reverted"]
    assert env.properties["author"] == "Bob"
    assert env.properties["date"] == "2024-02-01T09:30:00+00:00"
    assert env.properties["present_at_head"] is False
    assert "no longer at HEAD" in env.message

    notebook = by_path["analysis.ipynb"]
    assert notebook.primary.commit == commits["notebook"]
    assert notebook.properties["author"] == "Carol"
    assert notebook.properties["present_at_head"] is True
    assert notebook.properties["versions"] == 2
    lines = (root / "analysis.ipynb").read_text().splitlines()
    assert keys["notebook"] in lines[notebook.primary.line - 1]

    branch = by_path["config.yaml"]
    assert branch.primary.commit == commits["branch"]
    assert branch.properties["present_at_head"] is False  # only on an unmerged branch

    assert scan.stats.blobs_with_keys == 4
    assert len(scan.components) == 3
    text = repr(scan)
    for secret in keys.values():
        assert secret[-12:] not in text


def test_each_blob_is_read_once_and_large_blobs_are_skipped(
    repo: tuple[Path, dict[str, str], dict[str, str]],
) -> None:
    root, _, _ = repo
    full = scan_history(root)
    assert full.stats.blobs_total == 5  # README, .env, two notebook versions, config.yaml
    tiny = scan_history(root, max_blob_size=100)
    assert tiny.stats.blobs_total < full.stats.blobs_total
    assert {f.primary.path for f in tiny.findings} <= {".env", "config.yaml"}


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        scan_history(tmp_path)


def test_inline_ignore_with_reason_suppresses_a_history_finding(
    tmp_path: Path, make_key: Callable[[str], str]
) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "fixture.py").write_text(
        f'KEY = "{make_key("groq-api-key")}"  # aims: ignore[secret] revoked fixture key\n'
        f'OTHER = "{make_key("groq-api-key")}"  # aims: ignore[secret]\n'
    )
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "fixture")
    scan = scan_history(repo)
    by_line = {f.primary.line: f for f in scan.findings}
    assert by_line[1].suppression is not None
    assert by_line[1].suppression.reason == "revoked fixture key"
    assert by_line[2].suppression is None  # no reason: not suppressed, and a warning says so
    assert any("without a reason" in w.message for w in scan.warnings)
    assert scan_history(repo, ignores=False).findings[0].suppression is None


def test_keyword_test_matches_any_keyword() -> None:
    from aims.secrets.history import _any_keyword

    test = _any_keyword([b"sk-", b"sk-proj-", b"mistral_api_key", b"mistral"])
    assert test(b"key = sk-abc")
    assert test(b"export mistral_api_key=1")
    assert not test(b"nothing to see")


def test_add_history_merges_into_an_inventory_once_per_repository(
    repo: tuple[Path, dict[str, str], dict[str, str]],
) -> None:
    from aims.errors import UsageError
    from aims.inventory import Inventory
    from aims.secrets.history import add_history

    root, _, _ = repo
    inventory = Inventory(roots=[str(root)])
    stats = add_history(inventory, [str(root), str(root / "README.md")])
    assert len(stats) == 1
    assert sorted(f.primary.path for f in inventory.findings) == [
        ".env",
        "analysis.ipynb",
        "config.yaml",
    ]
    assert {c.type.value for c in inventory.components} == {"secret"}
    with pytest.raises(UsageError):
        add_history(Inventory(), [str(root.parent)])
