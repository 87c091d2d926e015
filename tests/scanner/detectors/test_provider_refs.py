"""ProviderRefDetector: provider API hosts and env var names in any text file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog import Catalog, Package, Provider, load_catalog
from aims.inventory import ComponentType
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.provider_refs import (
    ProviderRefDetector,
    find_provider_refs,
    redact_env_line,
)

FIXTURES = Path(__file__).parent / "fixtures" / "source"
ROOT = FIXTURES / "providers"
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
DETECTOR = ProviderRefDetector()
FILES = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file())


def expected_markers(text: str) -> set[tuple[str, int]]:
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for m in _MARKER.finditer(line):
            found.update((name.strip(), number) for name in m.group(1).split(","))
    return found


def run_text(relpath: str, text: str, catalog: Catalog = CATALOG) -> DetectResult:
    data = text.encode()
    file = ScanFile(relpath=relpath, abspath=relpath, data=data, size=len(data))
    return DETECTOR.detect(file, DetectContext(catalog=catalog))


def pairs(result: DetectResult) -> set[tuple[str, int]]:
    return {(c.name, e.line or 0) for c in result.components for e in c.evidence}


@pytest.mark.parametrize("relpath", [f for f in FILES if f != "package-lock.json"])
def test_fixture_reports_exactly_the_marked_lines(relpath: str) -> None:
    text = (ROOT / relpath).read_text(encoding="utf-8")
    assert DETECTOR.wants(relpath, relpath.rsplit("/", 1)[-1])
    assert pairs(run_text(relpath, text)) == expected_markers(text)


def test_lock_files_notebooks_and_binaries_are_not_wanted() -> None:
    for name in (
        "package-lock.json",
        "yarn.lock",
        "poetry.lock",
        "uv.lock",
        "go.sum",
        "Cargo.lock",
    ):
        assert not DETECTOR.wants(f"app/{name}", name), name
    for name in ("eval.ipynb", "logo.png", "model.safetensors", "bundle.js.map", "rows.jsonl"):
        assert not DETECTOR.wants(name, name), name
    for name in (".env", "Dockerfile", "main.tf", "values.yaml", "README.md", "app.py", "run.sh"):
        assert DETECTOR.wants(name, name), name


def test_component_properties_collect_hosts_and_env_vars() -> None:
    text = (ROOT / "settings.py").read_text(encoding="utf-8")
    by_name = {c.name: c for c in run_text("settings.py", text).components}
    assert set(by_name) == {"openai", "anthropic", "google", "ollama"}
    openai = by_name["openai"]
    assert openai.type is ComponentType.PROVIDER
    assert openai.provider == "openai"
    assert openai.properties == {"hosts": ["api.openai.com"], "env_vars": ["OPENAI_BASE_URL"]}
    assert by_name["ollama"].properties == {
        "hosts": ["localhost:11434"],
        "env_vars": ["OLLAMA_HOST"],
    }
    assert [e.line for e in openai.evidence] == [5, 6]
    assert {e.detector for e in openai.evidence} == {"provider-refs"}


def test_wildcard_host_keeps_the_resource_name() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    azure = next(c for c in run_text(".env.example", text).components if c.name == "azure-openai")
    assert azure.properties == {
        "hosts": ["contoso-prod.openai.azure.com"],
        "env_vars": ["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"],
    }


def test_docs_are_marked_as_docs() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (component,) = run_text("README.md", text).components
    assert component.properties["context"] == "docs"
    code = run_text("settings.py", (ROOT / "settings.py").read_text(encoding="utf-8"))
    assert all("context" not in c.properties for c in code.components)


def test_env_values_are_never_recorded() -> None:
    fake = "sk-" + "FAKE" * 6 + "0123456789"  # built at test time; not a real key
    text = (
        f"OPENAI_API_KEY={fake}\n"
        f'export ANTHROPIC_API_KEY="{fake}"\n'
        f'key = os.getenv("OPENAI_API_KEY", "{fake}")\n'
        f"OPENAI_API_KEY: {fake}\n"
        f'curl https://api.openai.com/v1/models -H "Authorization: Bearer {fake}"\n'
    )
    result = run_text("deploy/.env", text)
    snippets = [e.snippet for c in result.components for e in c.evidence]
    assert len(snippets) == 5
    assert all("FAKE" not in s for s in snippets), snippets
    assert snippets[0] == "OPENAI_API_KEY=***"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"', None),
        ('model="text-embedding-3-large"', None),
        ("import com.openai.client.okhttp.OpenAIOkHttpClient2;", None),
        ("x = " + "sk-proj-" + "Ab1" * 10, "x = ***"),
        ("Authorization: Bearer " + "ghp_" + "a1" * 18, "Authorization: Bearer ***"),
        ("aws_secret=" + "wJa1r/XUtn" * 4 + "==", "aws_secret=***"),
        ("https://user:" + "pw" + "@api.openai.com/v1", "https://***@api.openai.com/v1"),
    ],
)
def test_snippet_redaction(line: str, expected: str | None) -> None:
    assert _source.redact(line) == (line if expected is None else expected)


@pytest.mark.parametrize(
    ("line", "end", "expected"),
    [
        ("OPENAI_API_KEY=abc", 14, "OPENAI_API_KEY=***"),
        (
            "  OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}",
            16,
            "  OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}",
        ),
        ('x = os.environ["OPENAI_API_KEY"]', 31, 'x = os.environ["OPENAI_API_KEY"]'),
        ('os.environ["OPENAI_API_KEY"] = "v"', 28, 'os.environ["OPENAI_API_KEY"] = ***'),
        ("- name: OPENAI_API_KEY", 22, "- name: OPENAI_API_KEY"),
        ("OPENAI_API_KEY=", 15, "OPENAI_API_KEY="),
    ],
)
def test_redact_env_line(line: str, end: int, expected: str) -> None:
    assert redact_env_line(line, end) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://mirror.example.org/api.openai.com/v1",
        "see support@api.openai.com",
        "api.openai.com.evil.example",
        "myapi.openai.com-proxy",
        "https://openai.com/blog",
        "MY_OPENAI_API_KEY",
        "OPENAI_API_KEY_FILE",
        "openai_api_key = 1",
        "AZURE_OPENAI_",
        "localhost:114340",
    ],
)
def test_near_misses_are_not_evidence(text: str) -> None:
    assert find_provider_refs(text, CATALOG) == []


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("https://api.openai.com/v1", "api.openai.com"),
        ("https://user:pw@api.openai.com/v1", "api.openai.com"),
        ("base_url: API.OpenAI.com", "api.openai.com"),
        ("http://localhost:11434/api/generate", "localhost:11434"),
        ("https://eu.contoso.openai.azure.com/", "eu.contoso.openai.azure.com"),
        ("proxy?to=https://api.anthropic.com", "api.anthropic.com"),
    ],
)
def test_hosts_in_host_position(text: str, host: str) -> None:
    (ref,) = find_provider_refs(text, CATALOG)
    assert ref.host == host


def test_keywords_cover_hosts_and_env_vars() -> None:
    words = set(DETECTOR.keywords(CATALOG) or [])
    assert {b"api.openai.com", b"openai.azure.com", b"openai_api_key", b"azure_openai_"} <= words


def test_with_the_shipped_catalog() -> None:
    text = 'client = OpenAI(base_url="https://api.openai.com/v1")\nkey = "ANTHROPIC_API_KEY"\n'
    names = {c.name for c in run_text("app.py", text, catalog=load_catalog()).components}
    assert {"openai", "anthropic"} <= names


@given(st.text(max_size=500))
def test_never_raises(text: str) -> None:
    for ref in find_provider_refs(text, CATALOG):
        assert 0 <= ref.offset < ref.end <= len(text)
    run_text("x.yaml", text)


@given(st.binary(max_size=300))
def test_detect_never_raises_on_bytes(data: bytes) -> None:
    file = ScanFile(relpath="x.env", abspath="x.env", data=data, size=len(data))
    assert isinstance(DETECTOR.detect(file, DetectContext(catalog=CATALOG)), DetectResult)
