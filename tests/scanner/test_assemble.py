"""Assembly: merging, provider derivation, deterministic order, stats and timestamps."""

from __future__ import annotations

import re

from aims.catalog.model import Catalog, Examples, Provider
from aims.findings import Confidence, Location, Severity, make_finding
from aims.inventory import Component, ComponentType, Evidence, ScanStats, ScanWarning
from aims.scanner.assemble import assemble, merge_components


def catalog() -> Catalog:
    openai = Provider(
        id="openai",
        name="OpenAI",
        hosts=["api.openai.com"],
        examples=Examples(positive=["api.openai.com"], negative=["openai.example"]),
    )
    return Catalog(providers=[openai], packages=[], model_families=[])


def sdk(path: str, line: int, **extra: object) -> Component:
    return Component(
        type=ComponentType.SDK,
        name="openai",
        version="1.2.0",
        ecosystem="pypi",
        provider="openai",
        evidence=[Evidence(path, line, "manifest")],
        **extra,  # type: ignore[arg-type]
    )


def test_merge_concatenates_dedupes_and_sorts_evidence() -> None:
    merged = merge_components(
        [
            sdk("b/requirements.txt", 3, direct=False, properties={"extras": ["x"]}),
            sdk("a/pyproject.toml", 9, purl="pkg:pypi/openai@1.2.0", direct=True),
            sdk("b/requirements.txt", 3),
            sdk("a/pyproject.toml", 2, category="llm-sdk"),
        ]
    )
    assert len(merged) == 1
    one = merged[0]
    assert [(e.path, e.line) for e in one.evidence] == [
        ("a/pyproject.toml", 2),
        ("a/pyproject.toml", 9),
        ("b/requirements.txt", 3),
    ]
    assert one.purl == "pkg:pypi/openai@1.2.0"
    assert one.category == "llm-sdk"
    assert one.direct is True
    assert one.properties == {"extras": ["x"]}


def test_merge_keeps_different_versions_apart_and_orders_by_type() -> None:
    model = Component(
        type=ComponentType.MODEL,
        name="gpt-4o",
        provider="openai",
        evidence=[Evidence("app.py", 4, "model-refs")],
    )
    merged = merge_components([model, sdk("r.txt", 1), sdk("r.txt", 2)])
    other = Component(
        type=ComponentType.SDK,
        name="openai",
        version="0.28.0",
        ecosystem="pypi",
        provider="openai",
        evidence=[Evidence("old/r.txt", 1, "manifest")],
    )
    merged = merge_components([model, *merged, other])
    assert [(c.type.value, c.name, c.version) for c in merged] == [
        ("sdk", "openai", "0.28.0"),
        ("sdk", "openai", "1.2.0"),
        ("model", "gpt-4o", None),
    ]


def test_assemble_derives_providers_and_sorts_findings() -> None:
    host_ref = Component(
        type=ComponentType.PROVIDER,
        name="openai",
        provider="openai",
        evidence=[Evidence(".env", 1, "provider-refs", "OPENAI_API_KEY=<redacted>")],
    )
    model = Component(
        type=ComponentType.MODEL,
        name="gpt-4o",
        provider="openai",
        evidence=[Evidence("app.py", 4, "model-refs")],
    )

    def finding(path: str, line: int, rule: str) -> object:
        return make_finding(
            rule_id=rule,
            rule_name="r",
            message="m",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            primary=Location(path, line),
            match="same",
        )

    findings = [finding("b.py", 1, "AIM2"), finding("a.py", 7, "AIM1"), finding("a.py", 7, "AIM1")]
    inventory = assemble(
        roots=["."],
        components=[model, sdk("requirements.txt", 1), host_ref],
        findings=findings,  # type: ignore[arg-type]
        warnings=[ScanWarning("z", "w"), ScanWarning("a", "w"), ScanWarning("a", "w")],
        stats=ScanStats(files_seen=3),
        provider_names={p.id: p.name for p in catalog().providers},
        reproducible=False,
    )
    provider = inventory.components[0]
    assert (provider.type, provider.name, provider.provider) == (
        ComponentType.PROVIDER,
        "openai",
        "openai",
    )
    assert provider.properties == {"display_name": "OpenAI"}
    assert [e.path for e in provider.evidence] == [".env", "app.py", "requirements.txt"]
    assert [c.type.value for c in inventory.components] == ["provider", "sdk", "model"]
    assert [(f.primary.path, f.rule_id) for f in inventory.findings] == [
        ("a.py", "AIM1"),
        ("b.py", "AIM2"),
    ]
    assert [w.path for w in inventory.warnings] == ["a", "z"]
    assert inventory.tool_version
    assert inventory.generated_at is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", inventory.generated_at)
    assert inventory.stats.files_seen == 3


def test_reproducible_has_no_timestamp() -> None:
    inventory = assemble(
        roots=["."],
        components=[],
        findings=[],
        warnings=[],
        stats=ScanStats(),
        reproducible=True,
    )
    assert inventory.generated_at is None


def test_an_import_folds_into_the_versioned_dependency() -> None:
    imported = Component(
        type=ComponentType.SDK,
        name="openai",
        ecosystem="pypi",
        provider="openai",
        evidence=[Evidence("app/main.py", 3, "imports")],
    )
    locked = sdk("requirements.txt", 4, direct=True)
    transitive = sdk("poetry.lock", 90, direct=False)
    transitive.version = "0.28.0"
    merged = merge_components([imported, transitive, locked])
    assert [(c.version, [e.path for e in c.evidence]) for c in merged] == [
        ("0.28.0", ["poetry.lock"]),
        ("1.2.0", ["app/main.py", "requirements.txt"]),
    ]
    # Without a versioned sibling, the import stays on its own.
    assert [c.version for c in merge_components([imported])] == [None]


def test_a_go_import_folds_into_the_major_version_module() -> None:
    # go.mod requires `cohere-go/v2`; `import "github.com/cohere-ai/cohere-go/v2/client"`
    # resolves to the catalog's `cohere-go`. One SDK, named as go.mod names it.
    imported = Component(
        type=ComponentType.SDK,
        name="github.com/cohere-ai/cohere-go",
        ecosystem="golang",
        provider="cohere",
        evidence=[Evidence("pkg/ai/cohere.go", 8, "imports")],
    )
    required = Component(
        type=ComponentType.SDK,
        name="github.com/cohere-ai/cohere-go/v2",
        version="v2.12.2",
        ecosystem="golang",
        provider="cohere",
        direct=True,
        evidence=[Evidence("go.mod", 41, "manifest")],
    )
    merged = merge_components([imported, required])
    assert [(c.name, c.version, [e.path for e in c.evidence]) for c in merged] == [
        ("github.com/cohere-ai/cohere-go/v2", "v2.12.2", ["go.mod", "pkg/ai/cohere.go"]),
    ]


def test_hugging_face_spellings_that_differ_in_case_merge() -> None:
    def hf(name: str, path: str) -> Component:
        return Component(
            type=ComponentType.MODEL,
            name=name,
            ecosystem="huggingface",
            purl=f"pkg:huggingface/{name}",
            evidence=[Evidence(path, 1, "model-refs")],
        )

    merged = merge_components([hf("baai/bge-small-en", "a.py"), hf("BAAI/bge-small-en", "b.py")])
    assert [(c.name, len(c.evidence)) for c in merged] == [("BAAI/bge-small-en", 2)]
