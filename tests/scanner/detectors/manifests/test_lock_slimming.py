"""Lock files are parsed without their artifact lists: same packages, same lines, less work."""

from __future__ import annotations

import tomllib

from aims.scanner.detectors.manifests.python import parse_uv_lock, slim_lock

UV_LOCK = """\
version = 1
requires-python = ">=3.10"

[[package]]
name = "anthropic"
version = "0.39.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "httpx" },
]
sdist = { url = "https://files.example/anthropic-0.39.0.tar.gz", hash = "sha256:00", size = 1 }
wheels = [
    { url = "https://files.example/anthropic-0.39.0-py3-none-any.whl", hash = "sha256:01", size = 2 },
]

[[package]]
name = "httpx"
version = "0.27.2"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.example/httpx-0.27.2-py3-none-any.whl", hash = "sha256:02" }]

[[package]]
name = "support-bot"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "anthropic" },
]
"""

POETRY_LOCK = """\
[[package]]
name = "openai"
version = "1.54.0"
description = "The official Python library for the openai API"
optional = false
python-versions = ">=3.8"
files = [
    {file = "openai-1.54.0-py3-none-any.whl", hash = "sha256:03"},
    {file = "openai-1.54.0.tar.gz", hash = "sha256:04"},
]

[metadata]
lock-version = "2.0"
"""


def _packages(text: str) -> list[dict[str, object]]:
    return [
        {k: v for k, v in p.items() if k not in ("sdist", "wheels", "files")}
        for p in tomllib.loads(text)["package"]
    ]


def test_slimming_keeps_packages_and_line_numbers() -> None:
    for lock in (UV_LOCK, POETRY_LOCK):
        slim = slim_lock(lock)
        assert slim.count("\n") == lock.count("\n")
        assert "sha256" not in slim
        assert _packages(slim) == _packages(lock)


def test_uv_lock_still_resolves_direct_dependencies_and_lines() -> None:
    deps = {d.name: d for d in parse_uv_lock(UV_LOCK).deps}
    assert sorted(deps) == ["anthropic", "httpx"]
    assert deps["anthropic"].direct is True and deps["httpx"].direct is False
    assert deps["anthropic"].version == "0.39.0"
    assert deps["anthropic"].locate is not None and deps["anthropic"].locate() == 5


def test_unusual_layout_is_left_alone() -> None:
    unterminated = 'wheels = [\n    { url = "x" },\n  ]\n'
    assert slim_lock(unterminated) == unterminated
    plain = 'version = 1\n[[package]]\nname = "x"\n'
    assert slim_lock(plain) == plain
