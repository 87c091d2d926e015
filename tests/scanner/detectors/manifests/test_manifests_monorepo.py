"""A workspace monorepo seen the way the engine sees it: every wanted file, one at a time."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from aims.catalog.model import Catalog
from aims.inventory import Component
from aims.scanner.detectors.manifests import ManifestDetector

from .conftest import FIXTURES, scan_file


def _scan_tree(root: Path, catalog: Catalog) -> list[Component]:
    detector = ManifestDetector()
    components: list[Component] = []
    for path in sorted(root.rglob("*")):
        relpath = path.relative_to(root).as_posix()
        if path.is_file() and detector.wants(relpath, path.name):
            result = scan_file(root, relpath, catalog)
            assert result.warnings == []
            components.extend(result.components)
    return components


def test_npm_workspaces_merge_manifest_and_lock_evidence(catalog: Catalog) -> None:
    components = _scan_tree(FIXTURES / "npm/mono", catalog)
    merged: dict[tuple[str, ...], list[tuple[str, int | None]]] = defaultdict(list)
    direct: dict[tuple[str, ...], set[bool | None]] = defaultdict(set)
    for component in components:
        merged[component.key()] += [(e.path, e.line) for e in component.evidence]
        direct[component.key()].add(component.direct)
    by_name = {(key[2], key[3]): sorted(evidence) for key, evidence in merged.items()}
    assert by_name == {
        ("ai", "3.3.0"): [("package-lock.json", 34), ("package.json", 12)],
        ("@anthropic-ai/sdk", "0.24.3"): [
            ("package-lock.json", 20),
            ("packages/chat/package.json", 6),
        ],
        ("@langchain/openai", "0.2.5"): [
            ("package-lock.json", 26),
            ("packages/web/package.json", 10),
        ],
        # Hoisted 4.52.7 for chat (dev and peer), nested 4.20.1 for web, 3.3.0 via an alias.
        ("openai", "4.52.7"): [
            ("package-lock.json", 44),
            ("packages/chat/package.json", 10),
            ("packages/chat/package.json", 13),
        ],
        ("openai", "4.20.1"): [
            ("package-lock.json", 80),
            ("packages/web/package.json", 6),
        ],
        ("openai", "3.3.0"): [
            ("package-lock.json", 39),
            ("packages/web/package.json", 7),
        ],
    }
    # Every package here is declared by the root or a workspace: all direct, in every file.
    assert set().union(*direct.values()) == {True}


def test_transitive_lock_entries_are_not_direct(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "package.json").write_text('{"dependencies": {"@langchain/openai": "^0.2.0"}}')
    (tmp_path / "package-lock.json").write_text(
        "{\n"
        '  "lockfileVersion": 3,\n'
        '  "packages": {\n'
        '    "": {"dependencies": {"@langchain/openai": "^0.2.0"}},\n'
        '    "node_modules/@langchain/openai": {"version": "0.2.5"},\n'
        '    "node_modules/@langchain/openai/node_modules/openai": {"version": "4.20.1"},\n'
        '    "node_modules/openai": {"version": "4.52.7"}\n'
        "  }\n"
        "}\n"
    )
    components = _scan_tree(tmp_path, catalog)
    lock = [
        (c.name, c.version, c.evidence[0].line, c.direct)
        for c in components
        if c.evidence[0].path == "package-lock.json"
    ]
    assert lock == [
        ("@langchain/openai", "0.2.5", 5, True),
        ("openai", "4.20.1", 6, False),
        ("openai", "4.52.7", 7, False),
    ]


def test_the_root_lock_file_is_parsed_once_for_all_workspace_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aims.scanner.detectors.manifests import npm

    calls: list[int] = []
    real = npm._load_yaml

    def counting(text: str) -> object:
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(npm, "_load_yaml", counting)
    importers = "".join(
        f"  packages/p{i}:\n    dependencies:\n      openai:\n"
        f"        specifier: ^4.0.0\n        version: 4.{i}.0\n"
        for i in range(20)
    )
    lock = tmp_path / "pnpm-lock.yaml"
    lock.write_text(f"lockfileVersion: '9.0'\nimporters:\n{importers}")
    for i in range(20):
        member = tmp_path / "packages" / f"p{i}" / "package.json"
        member.parent.mkdir(parents=True)
        member.write_text('{"dependencies": {"openai": "^4.0.0"}}')
    versions = []
    for i in range(20):
        member = tmp_path / "packages" / f"p{i}" / "package.json"
        parsed = npm.parse_package_json(member.read_text(), abspath=str(member))
        versions.append(parsed.deps[0].version)
    assert versions == [f"4.{i}.0" for i in range(20)]
    assert len(calls) == 1
    # An edited lock file (new size and time) is read again.
    lock.write_text(lock.read_text().replace("version: 4.0.0", "version: 4.99.0"))
    member = tmp_path / "packages" / "p0" / "package.json"
    parsed = npm.parse_package_json(member.read_text(), abspath=str(member))
    assert parsed.deps[0].version == "4.99.0"
    assert len(calls) == 2
