"""Python manifests and lock files: exact components, lines, versions, direct flags, purls."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.catalog.model import Catalog
from aims.scanner.detectors.manifests.python import parse_setup_py

from .conftest import FIXTURES, Row, rows, scan_file

CASES: list[tuple[str, list[Row]]] = [
    (
        "python/reqs/requirements.txt",
        [
            ("openai", "1.40.6", 8, True, "pkg:pypi/openai@1.40.6"),
            ("anthropic", None, 11, True, "pkg:pypi/anthropic"),
            ("langchain", None, 12, True, "pkg:pypi/langchain"),
            ("torch", "2.3.1", 14, True, "pkg:pypi/torch@2.3.1"),
            ("sentence-transformers", None, 15, True, "pkg:pypi/sentence-transformers"),
            ("anthropic", "0.34.1", 2, True, "pkg:pypi/anthropic@0.34.1"),
        ],
    ),
    (
        "python/reqs/requirements/base.txt",
        [
            ("langchain-openai", "0.1.20", 3, True, "pkg:pypi/langchain-openai@0.1.20"),
        ],
    ),
    (
        "python/reqs/constraints.txt",
        [
            ("torch", "2.3.1", 2, None, "pkg:pypi/torch@2.3.1"),
        ],
    ),
    (
        "python/reqs/requirements-compiled.txt",
        [
            ("anthropic", "0.34.1", 9, True, "pkg:pypi/anthropic@0.34.1"),
            ("openai", "1.40.6", 11, True, "pkg:pypi/openai@1.40.6"),
            ("langchain-openai", "0.1.20", 15, True, "pkg:pypi/langchain-openai@0.1.20"),
            ("torch", "2.3.1", 17, False, "pkg:pypi/torch@2.3.1"),
            ("sentence-transformers", "3.0.1", 19, True, "pkg:pypi/sentence-transformers@3.0.1"),
        ],
    ),
    (
        "python/uvproj/pyproject.toml",
        [
            ("openai", "1.40.6", 6, True, "pkg:pypi/openai@1.40.6"),
            ("langchain-openai", "0.1.20", 8, True, "pkg:pypi/langchain-openai@0.1.20"),
            ("anthropic", "0.34.1", 12, True, "pkg:pypi/anthropic@0.34.1"),
            ("sentence-transformers", "3.0.1", 14, True, "pkg:pypi/sentence-transformers@3.0.1"),
            ("openai", "1.40.6", 15, True, "pkg:pypi/openai@1.40.6"),
            ("anthropic", "0.34.1", 19, True, "pkg:pypi/anthropic@0.34.1"),
        ],
    ),
    (
        "python/uvproj/uv.lock",
        [
            ("anthropic", "0.34.1", 5, True, "pkg:pypi/anthropic@0.34.1"),
            ("langchain-openai", "0.1.20", 18, True, "pkg:pypi/langchain-openai@0.1.20"),
            ("openai", "1.40.6", 26, True, "pkg:pypi/openai@1.40.6"),
            ("sentence-transformers", "3.0.1", 39, True, "pkg:pypi/sentence-transformers@3.0.1"),
            ("torch", "2.3.1", 72, False, "pkg:pypi/torch@2.3.1"),
        ],
    ),
    (
        "python/poetryproj/pyproject.toml",
        [
            ("openai", "1.40.6", 9, True, "pkg:pypi/openai@1.40.6"),
            ("anthropic", "0.34.1", 10, True, "pkg:pypi/anthropic@0.34.1"),
            ("langchain", "0.2.14", 11, True, "pkg:pypi/langchain@0.2.14"),
            ("torch", "2.3.1", 14, True, "pkg:pypi/torch@2.3.1"),
            ("openai", "1.40.6", 18, True, "pkg:pypi/openai@1.40.6"),
        ],
    ),
    (
        "python/poetryproj/poetry.lock",
        [
            ("anthropic", "0.34.1", 4, True, "pkg:pypi/anthropic@0.34.1"),
            ("langchain", "0.2.14", 17, True, "pkg:pypi/langchain@0.2.14"),
            ("langchain-openai", "0.1.20", 33, False, "pkg:pypi/langchain-openai@0.1.20"),
            ("openai", "1.40.6", 41, True, "pkg:pypi/openai@1.40.6"),
            ("torch", "2.3.1", 49, True, "pkg:pypi/torch@2.3.1"),
        ],
    ),
    (
        "python/pipenvproj/Pipfile",
        [
            ("openai", "1.40.6", 7, True, "pkg:pypi/openai@1.40.6"),
            ("anthropic", "0.34.1", 8, True, "pkg:pypi/anthropic@0.34.1"),
            ("torch", "2.3.1", 12, True, "pkg:pypi/torch@2.3.1"),
        ],
    ),
    (
        "python/pipenvproj/Pipfile.lock",
        [
            ("anthropic", "0.34.1", 19, True, "pkg:pypi/anthropic@0.34.1"),
            ("langchain-openai", "0.1.20", 27, False, "pkg:pypi/langchain-openai@0.1.20"),
            ("openai", "1.40.6", 32, True, "pkg:pypi/openai@1.40.6"),
            ("openai", "1.40.6", 39, True, "pkg:pypi/openai@1.40.6"),
            ("torch", "2.3.1", 43, True, "pkg:pypi/torch@2.3.1"),
        ],
    ),
    (
        "python/pdmproj/pyproject.toml",
        [
            ("sentence-transformers", "3.0.1", 4, True, "pkg:pypi/sentence-transformers@3.0.1"),
            ("openai", "1.40.6", 9, True, "pkg:pypi/openai@1.40.6"),
        ],
    ),
    (
        "python/pdmproj/pdm.lock",
        [
            ("openai", "1.40.6", 11, True, "pkg:pypi/openai@1.40.6"),
            ("sentence-transformers", "3.0.1", 18, True, "pkg:pypi/sentence-transformers@3.0.1"),
            ("torch", "2.3.1", 25, False, "pkg:pypi/torch@2.3.1"),
        ],
    ),
    (
        "python/legacy/setup.cfg",
        [
            ("openai", None, 9, True, "pkg:pypi/openai"),
            ("anthropic", "0.34.1", 15, True, "pkg:pypi/anthropic@0.34.1"),
            ("torch", None, 16, True, "pkg:pypi/torch"),
        ],
    ),
    (
        "python/legacy/setup.py",
        [
            ("openai", "0.28.1", 7, True, "pkg:pypi/openai@0.28.1"),
            ("langchain", None, 19, True, "pkg:pypi/langchain"),
            ("anthropic", None, 11, True, "pkg:pypi/anthropic"),
            ("torch", "2.3.1", 12, True, "pkg:pypi/torch@2.3.1"),
            ("sentence-transformers", None, 12, True, "pkg:pypi/sentence-transformers"),
        ],
    ),
    (
        "python/hfstyle/setup.py",
        [
            ("openai", "1.40.6", 9, True, "pkg:pypi/openai@1.40.6"),
            ("sentence-transformers", None, 12, True, "pkg:pypi/sentence-transformers"),
            ("torch", "2.3.1", 13, True, "pkg:pypi/torch@2.3.1"),
        ],
    ),
    (
        "python/fallback/setup.py",
        [
            ("openai", None, 13, True, "pkg:pypi/openai"),
            ("langchain", None, 14, True, "pkg:pypi/langchain"),
        ],
    ),
    (
        "python/conda/environment.yml",
        [
            ("pytorch", "2.3.1", 7, True, "pkg:conda/pytorch@2.3.1"),
            ("openai", "1.40.6", 9, True, "pkg:conda/openai@1.40.6"),
            ("anthropic", "0.34.1", 12, True, "pkg:pypi/anthropic@0.34.1"),
            ("langchain-openai", None, 14, True, "pkg:pypi/langchain-openai"),
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
    for component in result.components:
        assert component.type == "sdk"
        assert component.ecosystem in ("pypi", "conda")
        assert all(e.detector == "manifest" for e in component.evidence)


def test_requirements_follow_only_includes_the_engine_does_not_scan(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "python/reqs/requirements.txt", catalog)
    paths = [c.evidence[0].path for c in result.components]
    # base.txt is a requirements file the engine scans itself: not repeated here.
    assert "python/reqs/requirements/base.txt" not in paths
    # extra-deps.pip is not a name the engine hands to the detector: read and attributed.
    assert paths[-1] == "python/reqs/extra-deps.pip"
    assert paths[:-1] == ["python/reqs/requirements.txt"] * 5


def test_requirements_keep_specifier_extras_marker_and_redact_urls(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "python/reqs/requirements.txt", catalog)
    by_line = {c.evidence[0].line: c for c in result.components if c.evidence[0].line}
    openai = by_line[8]
    assert openai.properties["specifier"] == "==1.40.6"
    assert openai.properties["extras"] == ["datalib"]
    assert openai.properties["hashes"] is True
    anthropic = by_line[11]
    assert anthropic.properties["specifier"] == ">=0.30,<1"
    assert anthropic.properties["marker"] == 'python_version >= "3.9"'
    langchain = by_line[12]
    assert "FAKEEXAMPLE" not in langchain.properties["url"]
    assert "FAKEEXAMPLE" not in langchain.evidence[0].snippet
    assert langchain.evidence[0].snippet.startswith("langchain @ git+https://***@github.com/")
    # torch is unpinned in the file; constraints.txt (via -c) gives the version.
    assert by_line[14].version == "2.3.1"
    assert "specifier" not in by_line[14].properties
    assert by_line[15].properties["editable"] is True


def test_constraint_files_are_not_declarations(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "python/reqs/constraints.txt", catalog)
    (torch,) = result.components
    assert torch.direct is None
    assert torch.properties["constraint"] is True


def test_pyproject_keeps_scope_of_each_declaration(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "python/uvproj/pyproject.toml", catalog)
    scopes = [(c.evidence[0].line, c.properties["scope"]) for c in result.components]
    assert scopes == [
        (6, "dependencies"),
        (8, "dependencies"),
        (12, "optional:anthropic"),
        (14, "optional:local"),
        (15, "optional:local"),
        (19, "group:dev"),
    ]


def test_poetry_groups_and_git_sources(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "python/poetryproj/pyproject.toml", catalog)
    by_line = {c.evidence[0].line: c for c in result.components}
    assert by_line[9].properties["specifier"] == "^1.40.0"
    assert by_line[10].properties["optional"] is True
    assert by_line[11].properties["git"] == "https://github.com/langchain-ai/langchain.git"
    assert by_line[14].properties["scope"] == "group:ml"
    assert by_line[18].properties["scope"] == "group:dev"


def test_lock_without_sibling_manifest_leaves_direct_unknown(
    tmp_path: Path, catalog: Catalog
) -> None:
    lock = (FIXTURES / "python/poetryproj/poetry.lock").read_bytes()
    (tmp_path / "poetry.lock").write_bytes(lock)
    result = scan_file(tmp_path, "poetry.lock", catalog)
    assert {c.direct for c in result.components} == {None}
    assert len(result.components) == 5


def test_setup_py_is_never_executed(tmp_path: Path, catalog: Catalog) -> None:
    marker = tmp_path / "executed"
    (tmp_path / "setup.py").write_text(
        "import pathlib\n"
        f"pathlib.Path({str(marker)!r}).write_text('x')\n"
        "from setuptools import setup\n"
        "setup(name='x', install_requires=['openai==1.40.6'])\n"
    )
    result = scan_file(tmp_path, "setup.py", catalog)
    assert not marker.exists()
    assert rows(result.components) == [("openai", "1.40.6", 4, True, "pkg:pypi/openai@1.40.6")]


def test_include_cycles_depth_and_escapes_are_bounded(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "requirements.txt").write_text("-r a.pip\n-r ../outside.pip\n-r /etc/passwd\n")
    (tmp_path / "a.pip").write_text("openai==1.40.6\n-r b.pip\n")
    (tmp_path / "b.pip").write_text("anthropic==0.34.1\n-r a.pip\n")
    result = scan_file(tmp_path, "requirements.txt", catalog)
    assert [(c.name, c.evidence[0].path, c.evidence[0].line) for c in result.components] == [
        ("openai", "a.pip", 1),
        ("anthropic", "b.pip", 1),
    ]
    messages = [w.message for w in result.warnings]
    assert messages == [
        "manifest: requirement include '../outside.pip' not followed (outside the scan root)",
        "manifest: requirement include '/etc/passwd' not followed (not a relative path)",
    ]


def test_pip_compile_output_marks_transitive_packages(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "python/reqs/requirements-compiled.txt", catalog)
    assert [(c.name, c.direct) for c in result.components] == [
        ("anthropic", True),
        ("openai", True),
        ("langchain-openai", True),
        ("torch", False),
        ("sentence-transformers", True),
    ]


def test_conda_packages_use_conda_purls_and_pip_entries_pypi(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "python/conda/environment.yml", catalog)
    assert [(c.ecosystem, c.name, c.properties.get("scope")) for c in result.components] == [
        ("conda", "pytorch", "conda"),
        ("conda", "openai", "conda"),
        ("pypi", "anthropic", "pip"),
        ("pypi", "langchain-openai", "pip"),
    ]
    assert result.components[0].properties["channel"] == "pytorch"
    # conda's `pytorch` is PyPI's `torch`: looked up under that name, and recorded.
    assert result.components[0].properties["pypi_name"] == "torch"
    assert result.components[0].properties["specifier"] == "=2.3.1"


def test_compiled_annotations_on_the_same_line_and_constraint_sources(
    tmp_path: Path, catalog: Catalog
) -> None:
    (tmp_path / "requirements.lock").write_text(
        "# generated by rye\n"
        "anthropic==0.34.1  # via -r requirements.in\n"
        "openai==1.40.6  # via langchain-openai, -c constraints.txt\n"
        "torch==2.3.1\n"
        "    # via\n"
        "    #   -c constraints.txt\n"
        "    #   sentence-transformers\n"
        "sentence-transformers==3.0.1\n"
        "    # via support-bot (pyproject.toml)\n"
    )
    result = scan_file(tmp_path, "requirements.lock", catalog)
    assert [(c.name, c.evidence[0].line, c.direct) for c in result.components] == [
        ("anthropic", 2, True),
        ("openai", 3, False),
        ("torch", 4, False),
        ("sentence-transformers", 8, True),
    ]


def _setup_py_deps(relpath: str) -> list[tuple[str, str | None, int | None, str | None]]:
    text = (FIXTURES / relpath).read_text()
    return [(d.name, d.specifier, d.line, d.scope) for d in parse_setup_py(text).deps]


def test_setup_py_follows_a_requirement_table_built_from_a_list() -> None:
    # `_deps` -> `deps = {name: req}` -> `deps["x"]`, `deps_list("x")`, `extras["a"] + ...`;
    # anthropic is in the table but never passed to setup(), so it is not declared.
    assert _setup_py_deps("python/hfstyle/setup.py") == [
        ("openai", "==1.40.6", 9, "dependencies"),
        ("datasets", ">=2.20.0", 8, "dependencies"),
        ("sentence-transformers", ">=3.0.1", 12, "dependencies"),
        ("pytest", None, 10, "optional:tests"),
        ("torch", "==2.3.1", 13, "optional:torch"),
        ("ruff", ">=0.5.0", 11, "optional:quality"),
        ("ruff", ">=0.5.0", 11, "optional:dev"),
        ("pytest", None, 10, "optional:dev"),
    ]


def test_setup_py_unresolved_argument_falls_back_to_requirement_shaped_lists() -> None:
    # install_requires=read_requirements() cannot be followed: REQUIRED is reported with scope
    # unknown; classifiers and the package list are not requirement-shaped.
    assert _setup_py_deps("python/fallback/setup.py") == [
        ("mkdocs", ">=1.6", 16, "optional:docs"),
        ("mkdocs-material", None, 16, "optional:docs"),
        ("openai", ">=1.40", 13, "unknown"),
        ("langchain", None, 14, "unknown"),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # plain variable, `+`, starred items, list() and sorted()
        (
            'BASE = ["openai==1.40.6"]\nAI = ("torch>=2",)\n'
            "setup(install_requires=sorted([*BASE] + list(AI)))\n",
            [("openai", 1, "dependencies"), ("torch", 2, "dependencies")],
        ),
        # a dict literal table read with .values()
        (
            'pins = {"openai": "openai==1.40.6",\n "torch": "torch==2.3.1"}\n'
            "setup(setup_requires=list(pins.values()))\n",
            [("openai", 1, "setup"), ("torch", 2, "setup")],
        ),
        # extras_require=dict(...) keywords
        (
            'GPU = ["torch==2.3.1"]\nsetup(extras_require=dict(gpu=GPU))\n',
            [("torch", 1, "optional:gpu")],
        ),
        # fully resolved: an unused requirement list is not declared
        (
            'UNUSED = ["anthropic>=0.30"]\nsetup(install_requires=["openai"])\n',
            [("openai", 2, "dependencies")],
        ),
        # setup(**kwargs) cannot be followed: requirement-shaped lists become `unknown`
        (
            'install_deps = ["openai", "anthropic"]\nsetup(**config)\n',
            [("openai", 1, "unknown"), ("anthropic", 1, "unknown")],
        ),
        # a self-referencing name does not loop
        ("a = a\nsetup(install_requires=a)\n", []),
    ],
)
def test_setup_py_static_patterns(source: str, expected: list[tuple[str, int, str]]) -> None:
    deps = parse_setup_py(source).deps
    assert [(d.name, d.line, d.scope) for d in deps] == expected


def test_setup_py_resolution_is_bounded_on_exponential_name_chains() -> None:
    # 2**18 paths to the one literal: the step budget stops the walk, the literal is still found
    levels = "".join(f"a{i} = [a{i + 1}, a{i + 1}]\n" for i in range(18))
    source = f'{levels}a18 = ["openai"]\nsetup(install_requires=a0)\n'
    deps = parse_setup_py(source).deps
    assert {(d.name, d.line) for d in deps} == {("openai", 19)}
