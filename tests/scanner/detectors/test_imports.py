"""ImportDetector: AI imports in six languages, never in comments, strings or docstrings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog import Catalog, Package, Provider, load_catalog
from aims.inventory import ComponentType, Evidence
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.imports import (
    ImportDetector,
    find_imports,
    npm_package_of,
    scan_imports,
)

FIXTURES = Path(__file__).parent / "fixtures" / "source"
IMPORT_FIXTURES = sorted((FIXTURES / "imports").iterdir())
_EXAMPLES = {"positive": ["x"], "negative": ["y"]}
_MARKER = re.compile(r"aims-expect:\s*([^\s<>\\\",]+(?:\s*,\s*[^\s<>\\\",]+)*)")


def load_test_catalog() -> Catalog:
    """The fixed catalog of `fixtures/source/catalog.yaml`."""
    data = yaml.safe_load((FIXTURES / "catalog.yaml").read_text(encoding="utf-8"))
    return Catalog(
        providers=[
            Provider.model_validate({"examples": _EXAMPLES, **p}) for p in data["providers"]
        ],
        packages=[Package.model_validate({"examples": _EXAMPLES, **p}) for p in data["packages"]],
        model_families=[],
    )


CATALOG = load_test_catalog()


def expected_markers(text: str) -> set[tuple[str, int]]:
    """(name, line) for every `aims-expect: a, b` marker in a fixture."""
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for m in _MARKER.finditer(line):
            found.update((name.strip(), number) for name in m.group(1).split(","))
    return found


def run(path: Path, text: str | None = None, catalog: Catalog = CATALOG) -> DetectResult:
    data = path.read_bytes() if text is None else text.encode()
    file = ScanFile(relpath=f"src/{path.name}", abspath=str(path), data=data, size=len(data))
    return ImportDetector().detect(file, DetectContext(catalog=catalog))


def pairs(result: DetectResult) -> set[tuple[str, int]]:
    return {(c.name, e.line or 0) for c in result.components for e in c.evidence}


@pytest.mark.parametrize("path", IMPORT_FIXTURES, ids=lambda p: p.name)
def test_fixture_reports_exactly_the_marked_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = expected_markers(text)
    assert expected, "every fixture marks at least one import"
    assert pairs(run(path)) == expected


def test_python_component_fields() -> None:
    result = run(FIXTURES / "imports" / "llm_service.py")
    by_name = {c.name: c for c in result.components}
    openai = by_name["openai"]
    assert openai.type is ComponentType.SDK
    assert (openai.ecosystem, openai.provider, openai.category) == ("pypi", "openai", "llm-sdk")
    assert openai.purl == "pkg:pypi/openai"
    assert openai.direct is None
    assert openai.version is None
    assert openai.evidence == [
        Evidence(
            path="src/llm_service.py",
            line=15,
            detector="imports",
            snippet="import os, openai as oai  # aims-expect: openai",
        )
    ]
    assert by_name["google-genai"].provider == "google"
    assert by_name["langchain"].provider is None
    assert by_name["langchain"].category == "agent-framework"


@pytest.mark.parametrize(
    ("fixture", "name", "purl"),
    [
        ("chat.ts", "@anthropic-ai/sdk", "pkg:npm/%40anthropic-ai/sdk"),
        (
            "main.go",
            "github.com/sashabaranov/go-openai",
            "pkg:golang/github.com/sashabaranov/go-openai",
        ),
        ("Assistant.java", "com.openai:openai-java", "pkg:maven/com.openai/openai-java"),
        ("KernelSetup.cs", "Azure.AI.OpenAI", "pkg:nuget/Azure.AI.OpenAI"),
        ("agent.rs", "async-openai", "pkg:cargo/async-openai"),
    ],
)
def test_purls_and_ecosystems(fixture: str, name: str, purl: str) -> None:
    components = {c.name: c for c in run(FIXTURES / "imports" / fixture).components}
    assert components[name].purl == purl
    assert components[name].evidence[0].detector == "imports"


def test_one_component_per_package_with_every_import_line() -> None:
    result = run(FIXTURES / "imports" / "main.go")
    assert [c.name for c in result.components].count("github.com/sashabaranov/go-openai") == 1
    go_openai = next(
        c for c in result.components if c.ecosystem == "golang" and "go-openai" in c.name
    )
    assert [e.line for e in go_openai.evidence] == [12, 13]


def test_from_import_of_a_submodule_resolves_to_the_more_specific_package() -> None:
    text = "from google import genai\nfrom google import cloud\nimport google\n"
    hits = scan_imports(text, _source.PYTHON, CATALOG)
    assert [(offset, p.name) for offset, p in hits] == [(5, "google-genai")]


def test_python_syntax_errors_do_not_stop_the_scan() -> None:
    text = 'import openai\ndef broken(:\n    x = """never closed\nimport anthropic\n'
    hits = scan_imports(text, _source.PYTHON, CATALOG)
    assert [p.name for _, p in hits] == ["openai"]


def test_python_backslash_continuation_and_semicolons() -> None:
    text = "import os, \\\n    anthropic\nx = 1; import openai\nif True: import torch\n"
    result = {p.name: text.count("\n", 0, o) + 1 for o, p in scan_imports(text, "python", CATALOG)}
    assert result == {"anthropic": 2, "openai": 3, "torch": 4}


def test_python_string_prefixes_and_fstrings_are_strings() -> None:
    text = "a = rb'import openai'\nb = f'{x} import openai'\nc = u'''\nimport anthropic\n'''\n"
    assert scan_imports(text, "python", CATALOG) == []


def test_dynamic_python_imports_need_a_literal_absolute_name() -> None:
    text = (
        "import importlib\n"
        "importlib.import_module(name)\n"
        "importlib.import_module('.openai', package='app')\n"
        "importlib.import_module(name='openai')\n"
    )
    assert [p.name for _, p in scan_imports(text, "python", CATALOG)] == ["openai"]


def test_javascript_regex_literal_versus_division() -> None:
    text = 'const r = a / b; const s = "x" / 2; const q = /require("openai")/;\nrequire("ai");\n'
    assert [p.name for _, p in scan_imports(text, "javascript", CATALOG)] == ["ai"]


def test_javascript_template_with_interpolation_is_ignored() -> None:
    text = "const m = await import(`@ai-sdk/${provider}`);\nconst n = require(`openai`);\n"
    assert [p.name for _, p in scan_imports(text, "javascript", CATALOG)] == ["openai"]


@pytest.mark.parametrize(
    ("specifier", "package"),
    [
        ("openai", "openai"),
        ("openai/resources/chat", "openai"),
        ("@anthropic-ai/sdk/streaming", "@anthropic-ai/sdk"),
        ("./openai", None),
        ("../ai", None),
        ("/abs/path", None),
        ("node:fs", None),
        ("https://esm.sh/openai", None),
        ("@scope", None),
        ("#internal/ai", None),
    ],
)
def test_npm_package_of(specifier: str, package: str | None) -> None:
    assert npm_package_of(specifier) == package


def test_rust_qualified_path_without_use_is_reported_once() -> None:
    text = "fn main() {\n    let d = candle_core::Device::Cpu;\n    let e = candle_core::Tensor::zeros;\n}\n"
    hits = scan_imports(text, "rust", CATALOG)
    assert [(text.count("\n", 0, o) + 1, p.name) for o, p in hits] == [(2, "candle-core")]


def test_rust_lifetimes_do_not_open_char_literals() -> None:
    text = "fn f<'a>(x: &'a str) -> &'a str { x }\nuse async_openai::Client;\n"
    assert [p.name for _, p in scan_imports(text, "rust", CATALOG)] == ["async-openai"]


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("csharp", "\ufeffusing Azure.AI.OpenAI;\n", "Azure.AI.OpenAI"),
        ("python", "\ufeffimport openai\n", "openai"),
        ("java", "\ufeffimport com.openai.client.OpenAIClient;\n", "com.openai:openai-java"),
    ],
)
def test_byte_order_mark_before_the_first_import(language: str, text: str, name: str) -> None:
    assert [(o, p.name) for o, p in scan_imports(text, language, CATALOG)] == [
        (text.index(text.split()[1][:3]), name)
    ]


def test_csharp_using_statements_are_not_directives() -> None:
    text = "using (var c = new OpenAI.Client()) { }\nusing var x = OpenAI.Make();\n"
    assert scan_imports(text, "csharp", CATALOG) == []


def test_wants_source_files_only() -> None:
    detector = ImportDetector()
    for name in (
        "a.py",
        "b.ts",
        "c.tsx",
        "d.mjs",
        "e.cts",
        "f.go",
        "K.vue",
        "l.svelte",
        "m.astro",
        "G.java",
        "h.kt",
        "I.cs",
        "j.rs",
    ):
        assert detector.wants(f"src/{name}", name), name
    for name in ("README.md", "x.ipynb", "package.json", "x.pyc", "Makefile", "a.min"):
        assert not detector.wants(name, name), name


def test_keywords_are_the_catalogs_import_keywords() -> None:
    words = set(ImportDetector().keywords(CATALOG) or [])
    assert {b"openai", b"google.genai", b'"@anthropic-ai/sdk/', b"async_openai::"} <= words
    assert {b'"ai"', b"'ai'", b"`ai/", b"crate candle_core", b"use tiktoken_rs"} <= words
    assert b"ai" not in words, "a bare `ai` would let every file through"
    assert b"import genai" in words, "`from google import genai` must pass the prefilter"
    # Short module names only count where an import writes them (`ajax` is not `jax`).
    shipped = set(ImportDetector().keywords(load_catalog()) or [])
    assert b"jax" not in shipped and {b"import jax", b"from jax"} <= shipped
    assert all(len(w) > 3 for w in shipped)
    assert all(w == w.lower() for w in words)


def test_prefilter_keywords_cover_every_fixture() -> None:
    words = list(ImportDetector().keywords(CATALOG) or [])
    for path in IMPORT_FIXTURES:
        lowered = path.read_bytes().lower()
        assert any(w in lowered for w in words), path.name


def test_with_the_shipped_catalog() -> None:
    result = run(FIXTURES / "imports" / "llm_service.py", catalog=load_catalog())
    names = {c.name for c in result.components}
    assert {"openai", "anthropic"} <= names
    assert "openapi-core" not in names


def test_script_view_keeps_only_script_blocks() -> None:
    text = '<p>import "openai"</p>\n<script>\nimport "ai";\n</script>\n'
    view = _source.script_view(text, "A.vue")
    assert len(view) == len(text)
    assert view == '                      \n        \nimport "ai";\n         \n'
    assert _source.script_view(text, "a.ts") == text


def test_masked_code_keeps_offsets_and_newlines() -> None:
    text = 's = "a\\"b"  # c\nt = """x\ny"""\n'
    masked = _source.mask(text, _source.PYTHON)
    assert len(masked.code) == len(text)
    assert [i for i, ch in enumerate(masked.code) if ch == "\n"] == [
        i for i, ch in enumerate(text) if ch == "\n"
    ]
    assert masked.code == 's = "    "     \nt = """ \n """\n'
    assert masked.string_at(4) == 'a\\"b'


@given(st.text(max_size=400), st.sampled_from(sorted(set(_source.LANGUAGE_BY_SUFFIX.values()))))
def test_never_raises_and_keeps_length(text: str, language: str) -> None:
    masked = _source.mask(text, language)
    assert len(masked.code) == len(text)
    find_imports(masked, language)
    scan_imports(text, language, CATALOG)
    for name in ("a.vue", "b.astro"):
        assert len(_source.script_view(text, name)) == len(text)


_LANGUAGES = sorted(set(_source.LANGUAGE_BY_SUFFIX.values()) | {_source.SHELL})
_CODE_CHARS = "\"'`/\\*#\n\t ;:.,=!()[]{}<>@$rbufimportrequse_ab01"


@pytest.mark.parametrize("language", _LANGUAGES)
@pytest.mark.parametrize("text", ['"\\', "'\\", '"""\\', "`\\", "/*", 'r#"', "/[", "'a", '@"'])
def test_unterminated_tokens_run_to_the_end(text: str, language: str) -> None:
    masked = _source.mask(text, language)
    assert len(masked.code) == len(text)


@given(st.text(alphabet=_CODE_CHARS, max_size=80), st.sampled_from(_LANGUAGES))
def test_mask_on_code_like_text(text: str, language: str) -> None:
    masked = _source.mask(text, language)
    assert len(masked.code) == len(text)
    assert [i for i, c in enumerate(masked.code) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    for start, (content_start, content_end) in masked.strings.items():
        assert start < content_start <= content_end <= len(text)
    if language in _source.LANGUAGE_BY_SUFFIX.values():
        find_imports(masked, language)


@given(st.binary(max_size=300), st.sampled_from(["a.py", "b.ts", "c.go", "D.java", "E.cs", "f.rs"]))
def test_detect_never_raises_on_bytes(data: bytes, name: str) -> None:
    file = ScanFile(relpath=name, abspath=name, data=data, size=len(data))
    result = ImportDetector().detect(file, DetectContext(catalog=CATALOG))
    assert isinstance(result, DetectResult)


def test_imports_of_the_projects_own_modules_are_not_packages(tmp_path: Path) -> None:
    # crewAI examples keep their agents in `agents.py` beside `main.py`: `from agents import X`
    # is that module, not the `openai-agents` distribution (top-level module `agents` too).
    catalog = load_catalog()
    app = tmp_path / "crews" / "trip"
    app.mkdir(parents=True)
    (app / "agents.py").write_text("from crewai import Agent\n")
    (tmp_path / "evaluate").mkdir()
    (tmp_path / "evaluate" / "metrics.py").write_text("def score(): ...\n")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "config.yaml").write_text("x: 1\n")
    code = "from agents import TripAgents\nimport evaluate\nfrom crewai import Crew\nimport tools\n"
    main = app / "main.py"
    main.write_text(code)
    file = ScanFile(
        relpath="crews/trip/main.py", abspath=str(main), data=code.encode(), size=len(code)
    )
    result = ImportDetector().detect(file, DetectContext(catalog=catalog))
    assert pairs(result) == {("crewai", 3)}
    # The same imports with no module of that name in the project are the distributions.
    elsewhere = tmp_path / "other.py"
    elsewhere.write_text("from agents import Agent\n")
    file = ScanFile(
        relpath="x/other.py", abspath=str(elsewhere), data=b"from agents import Agent\n", size=24
    )
    result = ImportDetector().detect(file, DetectContext(catalog=catalog))
    assert pairs(result) == {("openai-agents", 1)}
