"""CycloneDX AIBOM: strict validation against the official 1.6 and 1.7 schemas, and content."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from aims.errors import UsageError
from aims.inventory import Component, ComponentType, Evidence, Inventory
from aims.output import RenderOptions, get_writer
from aims.output.cyclonedx import CycloneDXWriter, safe_url
from tests.output.factories import (
    CASES,
    FAKE_OPENAI_KEY,
    GGUF_SHA256,
    REDACTED_SNIPPET,
    crowded_inventory,
    demo_inventory,
)

SCHEMAS = {"1.6": SchemaVersion.V1_6, "1.7": SchemaVersion.V1_7}


def render(inventory: Inventory, spec: str | None = None, *, reproducible: bool = True) -> str:
    options = RenderOptions(reproducible=reproducible, spec_version=spec)
    return CycloneDXWriter().render(inventory, options)


def bom(spec: str | None = None, **kwargs: Any) -> dict[str, Any]:
    return json.loads(render(demo_inventory(), spec, **kwargs))  # type: ignore[no-any-return]


def by_name(items: list[dict[str, Any]], name: str, **match: Any) -> dict[str, Any]:
    found = [i for i in items if i["name"] == name and all(i.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (name, match, found)
    return found[0]


def props(item: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in item.get("properties", []):
        out.setdefault(p["name"], []).append(p["value"])
    return out


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("spec", ["1.6", "1.7"])
@pytest.mark.parametrize("reproducible", [True, False])
def test_strictly_valid_against_the_official_schema(
    case: str, spec: str, reproducible: bool
) -> None:
    text = render(CASES[case](), spec, reproducible=reproducible)
    error = JsonStrictValidator(SCHEMAS[spec]).validate_str(text)
    assert error is None, str(error)


def test_the_validator_really_rejects_a_broken_bom() -> None:
    document = bom("1.6")
    document["components"][0]["type"] = "llm"
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document))
    assert error is not None
    document = bom("1.6")
    document["components"][0]["x-unknown"] = 1
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document)) is not None


def test_header_and_metadata() -> None:
    document = bom()
    assert document["$schema"] == "http://cyclonedx.org/schema/bom-1.6.schema.json"
    assert (document["bomFormat"], document["specVersion"], document["version"]) == (
        "CycloneDX",
        "1.6",
        1,
    )
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", document["serialNumber"])
    metadata = document["metadata"]
    assert "timestamp" not in metadata
    assert metadata["tools"]["components"][0]["name"] == "aims"
    assert metadata["tools"]["components"][0]["version"] == "0.1.0"
    assert metadata["component"]["bom-ref"] == "project"
    assert metadata["component"]["name"] == "acme-assistant"
    assert props(metadata) == {
        "aims:files_scanned": ["388"],
        "aims:findings": ["2"],
        "aims:findings_suppressed": ["1"],
        "aims:secrets": ["1"],
        "aims:warnings": ["2"],
    }
    assert bom("1.7")["specVersion"] == "1.7"
    assert bom("1.7")["$schema"] == "http://cyclonedx.org/schema/bom-1.7.schema.json"


def test_serial_number_and_timestamp_follow_reproducible_mode() -> None:
    fixed = bom()["serialNumber"]
    assert bom()["serialNumber"] == fixed
    assert bom("1.7")["serialNumber"] != fixed  # derived from the content, version included
    changed = demo_inventory()
    changed.components[2].version = "1.55.0"
    assert json.loads(render(changed))["serialNumber"] != fixed
    live_a, live_b = bom(reproducible=False), bom(reproducible=False)
    assert live_a["serialNumber"] != live_b["serialNumber"]
    assert live_a["metadata"]["timestamp"] == "2026-11-29T09:00:00Z"


def test_sdks_are_libraries_with_purls_and_occurrences() -> None:
    components = bom()["components"]
    sdk = by_name(components, "openai", version="1.54.4")
    assert sdk["type"] == "library"
    assert sdk["purl"] == "pkg:pypi/openai@1.54.4"
    assert sdk["bom-ref"].startswith("sdk:openai@1.54.4:")
    assert sdk["evidence"]["occurrences"] == [
        {"location": "requirements.txt", "line": 3, "additionalContext": "openai==1.54.4"},
        {"location": "src/app/llm.py", "line": 1, "additionalContext": "from openai import OpenAI"},
    ]
    assert props(sdk) == {
        "aims:type": ["sdk"],
        "aims:ecosystem": ["pypi"],
        "aims:provider": ["openai"],
        "aims:category": ["llm-sdk"],
        "aims:direct": ["true"],
        "aims:detectors": ["imports,manifest"],
    }
    assert props(by_name(components, "openai", version="4.73.0"))["aims:direct"] == ["false"]
    assert by_name(components, "@anthropic-ai/sdk")["purl"] == "pkg:npm/%40anthropic-ai/sdk@0.32.1"


def test_models_and_model_cards() -> None:
    components = bom()["components"]
    gpt = by_name(components, "gpt-4o")
    assert gpt["type"] == "machine-learning-model"
    assert gpt["supplier"] == {"name": "OpenAI"}
    assert "modelCard" not in gpt  # nothing about task or architecture is known
    assert props(gpt)["aims:family"] == ["openai-gpt-4o"]
    assert [o["line"] for o in gpt["evidence"]["occurrences"]] == [14, 31, 22]

    llama = by_name(components, "meta-llama/Llama-3.2-1B-Instruct")
    assert llama["type"] == "machine-learning-model"
    assert llama["purl"] == "pkg:huggingface/meta-llama/Llama-3.2-1B-Instruct"
    assert llama["modelCard"] == {
        "modelParameters": {"task": "text-generation", "architectureFamily": "llama"}
    }
    assert llama["externalReferences"] == [
        {"type": "distribution", "url": "https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct"}
    ]

    gguf = by_name(components, "llama-3.2-1b-instruct-q4_k_m.gguf")
    assert gguf["type"] == "machine-learning-model"
    assert gguf["hashes"] == [{"alg": "SHA-256", "content": GGUF_SHA256}]
    assert gguf["modelCard"] == {"modelParameters": {"architectureFamily": "llama"}}
    gguf_props = props(gguf)
    assert gguf_props["aims:format"] == ["gguf"]
    assert gguf_props["aims:size"] == ["807694464"]
    assert gguf_props["aims:pickle"] == ["false"]
    assert gguf_props["aims:context_length"] == ["131072"]
    assert "aims:sha256" not in gguf_props and "aims:architecture" not in gguf_props
    assert gguf["evidence"]["occurrences"] == [
        {"location": "models/llama-3.2-1b-instruct-q4_k_m.gguf"}
    ]


def test_datasets_agent_files_workflows_and_mcp_servers() -> None:
    document = bom()
    components, services = document["components"], document["services"]
    squad = by_name(components, "rajpurkar/squad")
    assert squad["type"] == "data"
    assert squad["data"] == [
        {
            "type": "dataset",
            "name": "rajpurkar/squad",
            "contents": {"url": "https://huggingface.co/datasets/rajpurkar/squad"},
        }
    ]
    local = by_name(components, "data/feedback.jsonl")
    assert local["data"][0]["type"] == "dataset"
    assert local["data"][0]["contents"] == {
        "properties": [{"name": "aims:path", "value": "data/feedback.jsonl"}]
    }
    assert by_name(components, "CLAUDE.md")["type"] == "file"
    action = by_name(components, "anthropics/claude-code-action")
    assert (action["type"], action["version"], action["purl"]) == (
        "application",
        "v1",
        "pkg:github/anthropics/claude-code-action@v1",
    )
    local_mcp = by_name(components, "filesystem")
    assert local_mcp["type"] == "application"
    assert props(local_mcp)["aims:transport"] == ["stdio"]
    assert props(local_mcp)["aims:command"] == ["npx"]
    remote_mcp = by_name(services, "linear")
    assert remote_mcp["endpoints"] == ["https://mcp.linear.app/mcp"]
    assert props(remote_mcp)["aims:type"] == ["mcp-server"]
    assert not any(c["name"] == "linear" for c in components)


def test_providers_are_services_with_catalog_endpoints() -> None:
    services = bom()["services"]
    openai = by_name(services, "OpenAI API")
    assert openai["bom-ref"] == "service:openai"
    assert openai["provider"] == {"name": "OpenAI"}
    assert openai["endpoints"] == ["https://api.openai.com"]
    assert props(openai)["aims:occurrence"] == ["src/app/llm.py:6", "web/src/chat.ts:4"]
    anthropic = by_name(services, "Anthropic API")
    assert anthropic["endpoints"] == ["https://api.anthropic.com"]
    assert not any(
        c.get("name") in ("openai", "anthropic") and c["type"] == "application"
        for c in bom()["components"]
    )


def test_dependency_graph() -> None:
    document = bom()
    refs = {c["name"] + "@" + c.get("version", ""): c["bom-ref"] for c in document["components"]}
    graph = {d["ref"]: d["dependsOn"] for d in document["dependencies"]}
    all_refs = {c["bom-ref"] for c in document["components"]} | {
        s["bom-ref"] for s in document["services"]
    }
    # Every component and service appears once in the graph, and nothing else does.
    assert set(graph) == all_refs | {"project"}
    assert len(document["dependencies"]) == len(graph)
    # The project depends on everything it uses, but not on the provider services directly.
    assert set(graph["project"]) == all_refs - {"service:openai", "service:anthropic"}
    # SDKs and hosted models call their provider's API.
    assert graph[refs["openai@1.54.4"]] == ["service:openai"]
    assert graph[refs["openai@4.73.0"]] == ["service:openai"]
    assert graph[refs["@anthropic-ai/sdk@0.32.1"]] == ["service:anthropic"]
    assert graph[refs["gpt-4o@"]] == ["service:openai"]
    assert graph[refs["claude-3-5-sonnet-20241022@"]] == ["service:anthropic"]
    assert graph[refs["anthropics/claude-code-action@v1"]] == ["service:anthropic"]
    # Things without a provider depend on nothing.
    assert graph[refs["transformers@4.46.3"]] == []
    assert graph[refs["meta-llama/Llama-3.2-1B-Instruct@"]] == []
    assert graph["service:openai"] == []
    # The BOM says that it lists the project's AI only.
    assert document["compositions"] == [{"aggregate": "incomplete", "assemblies": ["project"]}]


def test_sdk_provider_without_provider_component_still_gets_a_service() -> None:
    inventory = Inventory(
        roots=["x"],
        components=[
            Component(
                type=ComponentType.SDK,
                name="anthropic",
                version="0.39.0",
                ecosystem="pypi",
                purl="pkg:pypi/anthropic@0.39.0",
                provider="anthropic",
            ),
            Component(type=ComponentType.MODEL, name="mystery-1", provider="mysterycorp"),
        ],
    )
    document = json.loads(render(inventory))
    assert [s["bom-ref"] for s in document["services"]] == [
        "service:anthropic",
        "service:mysterycorp",
    ]
    unknown = document["services"][1]
    assert unknown["provider"] == {"name": "mysterycorp"} and "endpoints" not in unknown
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document)) is None


def test_container_images_are_containers_with_docker_purls() -> None:
    image = Component(
        type=ComponentType.SDK,
        name="ghcr.io/huggingface/text-embeddings-inference",
        version="cpu-1.5",
        ecosystem="docker",
        purl="pkg:docker/huggingface/text-embeddings-inference@cpu-1.5?repository_url=ghcr.io",
        provider="huggingface",
        category="inference-server",
        evidence=[Evidence(path="docker-compose.yml", line=9, detector="container-images")],
    )
    document = json.loads(render(Inventory(roots=["x"], components=[image])))
    (component,) = document["components"]
    assert component["type"] == "container"
    assert component["purl"].startswith("pkg:docker/huggingface/text-embeddings-inference@")
    assert component["evidence"]["occurrences"][0]["location"] == "docker-compose.yml"
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document)) is None


def test_secrets_never_reach_the_bom() -> None:
    for spec in ("1.6", "1.7"):
        text = render(demo_inventory(), spec)
        assert "openai-api-key" not in text
        assert "REDACTED" not in text and REDACTED_SNIPPET not in text
        assert FAKE_OPENAI_KEY not in text and "sk-p" not in text
        assert "src/app/settings.py:5" not in text.replace("src/app/settings.py:5:", "")
        assert "AIM201" not in text


def test_credentials_in_mcp_urls_and_arguments_are_dropped() -> None:
    server = Component(
        type=ComponentType.MCP_SERVER,
        name="internal",
        properties={
            "transport": "sse",
            "url": "https://user:hunter2@mcp.example.com:8443/sse?token=FAKE-TOKEN#x",
            "env": {"API_KEY": "FAKE-ENV-KEY"},
            "args": ["--api-key", "FAKE-ARG-KEY"],
            "headers": {"Authorization": "Bearer FAKE"},
        },
        evidence=[Evidence(".vscode/mcp.json", 3, "mcp-config")],
    )
    local = Component(
        type=ComponentType.MCP_SERVER,
        name="tool",
        properties={"transport": "stdio", "url": "https://u:p@example.com/?k=FAKE-QUERY"},
    )
    text = render(Inventory(roots=["r"], components=[server, local]))
    for leaked in ("hunter2", "FAKE-TOKEN", "FAKE-ENV-KEY", "FAKE-ARG-KEY", "Bearer", "FAKE-QUERY"):
        assert leaked not in text
    service = json.loads(text)["services"][0]
    assert service["endpoints"] == ["https://mcp.example.com:8443/sse"]
    assert safe_url("file:///etc/passwd") == ""
    assert safe_url("https://[::1]:9/x?y") == "https://[::1]:9/x"
    assert safe_url("http://bad:port/") == ""


def test_duplicate_components_get_unique_refs() -> None:
    twin = Component(type=ComponentType.SDK, name="openai", version="1.0.0", ecosystem="pypi")
    other = Component(
        type=ComponentType.SDK,
        name="openai",
        version="1.0.0",
        ecosystem="pypi",
        evidence=[Evidence("b.txt", 1, "manifest")],
    )
    document = json.loads(render(Inventory(roots=["r"], components=[twin, other])))
    refs = [c["bom-ref"] for c in document["components"]]
    assert len(set(refs)) == 2 and refs[1] == refs[0] + "-2"
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document)) is None


def test_history_evidence_names_its_commit() -> None:
    component = Component(
        type=ComponentType.MODEL,
        name="gpt-4o",
        evidence=[Evidence("old.py", 3, "model-refs", 'model="gpt-4o"', commit="0123456789abcdef")],
    )
    document = json.loads(render(Inventory(roots=["r"], components=[component])))
    assert document["components"][0]["evidence"]["occurrences"] == [
        {
            "location": "old.py",
            "line": 3,
            "additionalContext": 'commit 0123456789abcdef: model="gpt-4o"',
        }
    ]


def test_unsupported_version_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unsupported CycloneDX version '1.4'"):
        render(demo_inventory(), "1.4")


def test_registry_returns_the_cyclonedx_writer() -> None:
    writer = get_writer("cyclonedx")
    assert isinstance(writer, CycloneDXWriter)
    assert writer.media_type == "application/vnd.cyclonedx+json"


@pytest.mark.parametrize("spec", ["1.6", "1.7"])
def test_evidence_is_bounded_per_component_with_the_total(spec: str) -> None:
    text = render(crowded_inventory(), spec)
    assert JsonStrictValidator(SCHEMAS[spec]).validate_str(text) is None
    doc = json.loads(text)
    sdk = by_name(doc["components"], "openai")
    places = [(o["location"], o["line"]) for o in sdk["evidence"]["occurrences"]]
    assert len(places) == 100
    # Every one of the 80 files is shown once before any file is shown twice.
    assert {path for path, _ in places} == {f"packages/p{i:03}/src/client.ts" for i in range(80)}
    assert places == sorted(places)
    assert props(sdk)["aims:occurrences"] == ["240"]
    assert props(sdk)["aims:occurrences_omitted"] == ["140"]
    provider = by_name(doc["services"], "OpenAI API")
    assert len(props(provider)["aims:occurrence"]) == 100
    assert props(provider)["aims:occurrences"] == ["240"]
    mcp = by_name(doc["services"], "docs")
    assert len(props(mcp)["aims:occurrence"]) == 100
    assert props(mcp)["aims:occurrences_omitted"] == ["50"]


def test_small_evidence_lists_carry_no_counts() -> None:
    for item in [*bom()["components"], *bom()["services"]]:
        assert "aims:occurrences" not in props(item)


def test_bounded_evidence_shows_the_project_s_own_files_before_tests_and_docs() -> None:
    places = [Evidence(f"tests/unit/t{i:03}.py", 1, "imports") for i in range(150)]
    places += [Evidence(f"docs/guide{i}.md", 3, "provider-refs") for i in range(10)]
    places += [
        Evidence(f"src/app/m{i:02}.py", line, "imports") for i in range(20) for line in (1, 9)
    ]
    inventory = Inventory(
        roots=["repo"],
        components=[
            Component(type=ComponentType.SDK, name="openai", ecosystem="pypi", evidence=places)
        ],
    )
    sdk = by_name(json.loads(render(inventory))["components"], "openai")
    shown = [(o["location"], o["line"]) for o in sdk["evidence"]["occurrences"]]
    assert len(shown) == 100
    own = [p for p in shown if p[0].startswith("src/")]
    assert own == [(f"src/app/m{i:02}.py", 1) for i in range(20)]
    assert props(sdk)["aims:occurrences"] == ["200"]
