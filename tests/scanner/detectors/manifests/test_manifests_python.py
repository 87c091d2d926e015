"""Python manifests and lock files: exact components, lines, versions, direct flags, purls."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.catalog.model import Catalog

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
