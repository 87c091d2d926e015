"""npm manifests and lock files, including a workspace monorepo and every lock format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aims.catalog.model import Catalog

from .conftest import FIXTURES, Row, rows, scan_file

CASES: list[tuple[str, list[Row]]] = [
    (
        "npm/bun/package.json",
        [
            ("@anthropic-ai/sdk", "0.32.1", 6, True, "pkg:npm/%40anthropic-ai/sdk@0.32.1"),
            ("@langchain/openai", "0.3.16", 10, True, "pkg:npm/%40langchain/openai@0.3.16"),
        ],
    ),
    (
        "npm/bun/bun.lock",
        [
            ("@anthropic-ai/sdk", "0.32.1", 16, True, "pkg:npm/%40anthropic-ai/sdk@0.32.1"),
            ("@langchain/openai", "0.3.16", 18, True, "pkg:npm/%40langchain/openai@0.3.16"),
            ("openai", "4.77.0", 22, False, "pkg:npm/openai@4.77.0"),
            ("openai", "4.52.7", 24, False, "pkg:npm/openai@4.52.7"),
        ],
    ),
    (
        "npm/deno/deno.jsonc",
        [
            ("openai", "4.77.0", 6, True, "pkg:npm/openai@4.77.0"),
            ("@anthropic-ai/sdk", None, 7, True, "pkg:npm/%40anthropic-ai/sdk"),
        ],
    ),
    (
        "npm/mono/package.json",
        [
            ("ai", "3.3.0", 12, True, "pkg:npm/ai@3.3.0"),
        ],
    ),
    (
        "npm/mono/packages/chat/package.json",
        [
            ("@anthropic-ai/sdk", "0.24.3", 6, True, "pkg:npm/%40anthropic-ai/sdk@0.24.3"),
            ("openai", "4.52.7", 13, True, "pkg:npm/openai@4.52.7"),
            ("openai", "4.52.7", 10, True, "pkg:npm/openai@4.52.7"),
        ],
    ),
    (
        "npm/mono/packages/web/package.json",
        [
            ("openai", "4.20.1", 6, True, "pkg:npm/openai@4.20.1"),
            ("openai", "3.3.0", 7, True, "pkg:npm/openai@3.3.0"),
            ("@langchain/openai", "0.2.5", 10, True, "pkg:npm/%40langchain/openai@0.2.5"),
        ],
    ),
    (
        "npm/mono/package-lock.json",
        [
            ("@anthropic-ai/sdk", "0.24.3", 20, True, "pkg:npm/%40anthropic-ai/sdk@0.24.3"),
            ("@langchain/openai", "0.2.5", 26, True, "pkg:npm/%40langchain/openai@0.2.5"),
            ("ai", "3.3.0", 34, True, "pkg:npm/ai@3.3.0"),
            ("openai", "3.3.0", 39, True, "pkg:npm/openai@3.3.0"),
            ("openai", "4.52.7", 44, True, "pkg:npm/openai@4.52.7"),
            ("openai", "4.20.1", 80, True, "pkg:npm/openai@4.20.1"),
        ],
    ),
    (
        "npm/v1/package.json",
        [
            ("openai", "3.3.0", 5, True, "pkg:npm/openai@3.3.0"),
        ],
    ),
    (
        "npm/v1/package-lock.json",
        [
            ("openai", "3.3.0", 20, True, "pkg:npm/openai@3.3.0"),
            ("@anthropic-ai/sdk", "0.9.1", 14, False, "pkg:npm/%40anthropic-ai/sdk@0.9.1"),
        ],
    ),
    (
        "npm/yarn-classic/package.json",
        [
            ("@anthropic-ai/sdk", "0.24.3", 5, True, "pkg:npm/%40anthropic-ai/sdk@0.24.3"),
            ("@langchain/openai", "0.2.5", 9, True, "pkg:npm/%40langchain/openai@0.2.5"),
        ],
    ),
    (
        "npm/yarn-classic/yarn.lock",
        [
            ("@anthropic-ai/sdk", "0.24.3", 5, True, "pkg:npm/%40anthropic-ai/sdk@0.24.3"),
            ("@langchain/openai", "0.2.5", 13, True, "pkg:npm/%40langchain/openai@0.2.5"),
            ("openai", "4.52.7", 23, False, "pkg:npm/openai@4.52.7"),
        ],
    ),
    (
        "npm/yarn-berry/yarn.lock",
        [
            ("@langchain/openai", "0.2.5", 8, True, "pkg:npm/%40langchain/openai@0.2.5"),
            ("openai", "4.52.7", 32, True, "pkg:npm/openai@4.52.7"),
        ],
    ),
    (
        "npm/yarn-berry/packages/api/package.json",
        [
            ("openai", "4.52.7", 4, True, "pkg:npm/openai@4.52.7"),
        ],
    ),
    (
        "npm/pnpm-v6/pnpm-lock.yaml",
        [
            ("@anthropic-ai/sdk", "0.24.3", 17, True, "pkg:npm/%40anthropic-ai/sdk@0.24.3"),
            ("@langchain/openai", "0.2.5", 20, True, "pkg:npm/%40langchain/openai@0.2.5"),
            ("openai", "4.52.7", 36, False, "pkg:npm/openai@4.52.7"),
        ],
    ),
    (
        "npm/pnpm-v6/apps/bot/package.json",
        [
            ("@anthropic-ai/sdk", "0.24.3", 4, True, "pkg:npm/%40anthropic-ai/sdk@0.24.3"),
            ("@langchain/openai", "0.2.5", 5, True, "pkg:npm/%40langchain/openai@0.2.5"),
        ],
    ),
    (
        "npm/pnpm-v9/pnpm-lock.yaml",
        [
            ("ai", "3.3.0", 11, True, "pkg:npm/ai@3.3.0"),
            ("openai", "4.52.7", 14, True, "pkg:npm/openai@4.52.7"),
            ("@anthropic-ai/sdk", "0.24.3", 20, False, "pkg:npm/%40anthropic-ai/sdk@0.24.3"),
        ],
    ),
    (
        "npm/pnpm-v5/pnpm-lock.yaml",
        [
            ("@anthropic-ai/sdk", "0.20.9", 8, True, "pkg:npm/%40anthropic-ai/sdk@0.20.9"),
            ("openai", "4.28.4", 9, True, "pkg:npm/openai@4.28.4"),
            ("@langchain/openai", "0.0.28", 17, False, "pkg:npm/%40langchain/openai@0.0.28"),
        ],
    ),
]


@pytest.mark.parametrize(("relpath", "expected"), CASES, ids=[c[0] for c in CASES])
def test_components_lines_versions_and_direct_flags(
    relpath: str, expected: list[Row], catalog: Catalog
) -> None:
    result = scan_file(FIXTURES, relpath, catalog)
    assert result.warnings == []
    assert rows(result.components) == expected
    assert {c.ecosystem for c in result.components} <= {"npm"}


def test_same_name_in_two_sections_gets_each_its_own_line(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "npm/mono/packages/chat/package.json", catalog)
    openai = [c for c in result.components if c.name == "openai"]
    assert [(c.properties["scope"], c.evidence[0].line) for c in openai] == [
        ("devDependencies", 13),
        ("peerDependencies", 10),
    ]
    assert [c.properties["specifier"] for c in openai] == ["^4.52.0", "^4.0.0"]


def test_aliases_report_the_real_package(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "npm/mono/packages/web/package.json", catalog)
    alias = next(c for c in result.components if c.properties.get("alias"))
    assert (alias.name, alias.version, alias.properties["alias"]) == (
        "openai",
        "3.3.0",
        "legacy-openai",
    )


def test_without_a_lock_only_exact_specifiers_give_a_version(
    tmp_path: Path, catalog: Catalog
) -> None:
    (tmp_path / ".git").mkdir()  # the repository root: the lock search stops here
    (tmp_path / "package.json").write_text(
        json.dumps({"dependencies": {"openai": "^4.52.0", "@anthropic-ai/sdk": "0.24.3"}}, indent=2)
    )
    result = scan_file(tmp_path, "package.json", catalog)
    assert rows(result.components) == [
        ("openai", None, 3, True, "pkg:npm/openai"),
        ("@anthropic-ai/sdk", "0.24.3", 4, True, "pkg:npm/%40anthropic-ai/sdk@0.24.3"),
    ]
    assert result.components[0].properties["specifier"] == "^4.52.0"


def test_lock_v1_without_package_json_leaves_direct_unknown(
    tmp_path: Path, catalog: Catalog
) -> None:
    (tmp_path / "package-lock.json").write_bytes(
        (FIXTURES / "npm/v1/package-lock.json").read_bytes()
    )
    result = scan_file(tmp_path, "package-lock.json", catalog)
    assert [(c.name, c.direct) for c in result.components] == [
        ("openai", None),
        ("@anthropic-ai/sdk", None),
    ]


def test_shrinkwrap_is_read_like_a_package_lock(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "npm-shrinkwrap.json").write_bytes(
        (FIXTURES / "npm/mono/package-lock.json").read_bytes()
    )
    result = scan_file(tmp_path, "npm-shrinkwrap.json", catalog)
    assert len(result.components) == 6


def test_jsonc_comments_and_trailing_commas_keep_lines_and_strings() -> None:
    from aims.scanner.detectors.manifests.npm import strip_jsonc

    text = '{\n  // c, }\n  "a": "x // y, }", /* z\n */ "b": [1, 2,],\n}\n'
    clean = strip_jsonc(text)
    assert json.loads(clean) == {"a": "x // y, }", "b": [1, 2]}
    assert clean.count("\n") == text.count("\n")
