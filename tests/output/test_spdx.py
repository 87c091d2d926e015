"""SPDX 3.0.1: validated by `spdx3-validate` (offline), and checked element by element."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from aims.inventory import Component, ComponentType, Inventory
from aims.output import RenderOptions, get_writer
from aims.output.spdx import SpdxWriter
from tests.output.factories import (
    CASES,
    FAKE_OPENAI_KEY,
    GGUF_SHA256,
    REDACTED_SNIPPET,
    crowded_inventory,
    demo_inventory,
)
from tests.output.spdx_offline import LOCAL, offline_spdx, validate_spdx_file


def render(inventory: Inventory, *, reproducible: bool = True) -> str:
    return SpdxWriter().render(inventory, RenderOptions(reproducible=reproducible))


def graph(inventory: Inventory | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    document = json.loads(render(inventory or demo_inventory(), **kwargs))
    return document["@graph"]  # type: ignore[no-any-return]


def named(elements: list[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [e for e in elements if e.get("name") == name]
    assert len(found) == 1, (name, found)
    return found[0]


def relationships(elements: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    return {
        (e["from"], e["relationshipType"]): e["to"] for e in elements if e["type"] == "Relationship"
    }


# NOTE: spdx3-validate's JSON Schema pass is slow (about 15 s for the demo document on one
# idle core), so only the demo case (which has every element kind) and the empty case run
# through it; the minimal case is a strict subset of the demo.
@pytest.mark.parametrize("case", ["demo", "empty"])
def test_spdx3_validate_accepts_the_document_offline(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case}.spdx.json"
    path.write_text(render(CASES[case](), reproducible=case != "demo"), encoding="utf-8")
    with offline_spdx() as requested:
        errors = validate_spdx_file(path)
    assert errors == []
    # The validator fetched only the three pinned SPDX 3.0.1 files, all served locally.
    assert set(requested) <= set(LOCAL)


def test_the_offline_validator_really_rejects_a_broken_document(tmp_path: Path) -> None:
    tiny = Inventory(roots=["r"], components=[Component(type=ComponentType.MODEL, name="m")])
    document = json.loads(render(tiny))
    model = next(e for e in document["@graph"] if e["type"] == "ai_AIPackage")
    model["ai_autonomyType"] = "maybe"
    del document["@graph"][0]["created"]
    path = tmp_path / "broken.spdx.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    errors = validate_spdx_file(path)
    text = "\n".join(errors)
    assert "created" in text
    assert "autonomyType" in text


def test_no_network_is_reachable_during_validation() -> None:
    import urllib.error
    import urllib.request

    with offline_spdx(), pytest.raises(urllib.error.URLError, match="refusing network"):
        urllib.request.urlopen("https://spdx.org/licenses/")


def test_document_header_and_creation_info() -> None:
    document = json.loads(render(demo_inventory()))
    assert document["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    creation = document["@graph"][0]
    assert creation["type"] == "CreationInfo"
    assert creation["specVersion"] == "3.0.1"
    assert creation["created"] == "1970-01-01T00:00:00Z"
    elements = document["@graph"]
    tool = next(e for e in elements if e["type"] == "Tool")
    assert tool["name"] == "aims 0.1.0" and creation["createdUsing"] == [tool["spdxId"]]
    doc = elements[-1]
    assert doc["type"] == "SpdxDocument"
    assert doc["profileConformance"] == ["core", "software", "ai", "dataset"]
    sbom = next(e for e in elements if e["type"] == "software_Sbom")
    assert doc["rootElement"] == [sbom["spdxId"]]
    assert sbom["software_sbomType"] == ["source"]
    # Every element but the creation info is listed in the document and the SBOM.
    ids = [e["spdxId"] for e in elements[1:-1]]
    assert doc["element"] == ids
    assert sbom["element"] == ids[:-1]
    assert "1 secret(s) and 3 finding(s)" in doc["comment"]
    live = json.loads(render(demo_inventory(), reproducible=False))["@graph"]
    assert live[0]["created"] == "2026-11-29T09:00:00Z"


def test_ids_are_stable_and_derived_from_content() -> None:
    first, second = graph(), graph(demo_inventory(shuffle_seed=5))
    assert [e.get("spdxId") for e in first] == [e.get("spdxId") for e in second]
    ids = [e["spdxId"] for e in first[1:]]
    assert len(ids) == len(set(ids))
    assert all(
        re.fullmatch(r"https://spdx\.org/spdxdocs/aims-acme-assistant-[0-9a-f]{16}/\S+", i)
        for i in ids
    )
    # Outside reproducible mode only the document's own id changes between runs.
    live_a, live_b = graph(reproducible=False), graph(reproducible=False)
    assert [e.get("spdxId") for e in live_a[:-1]] == [e.get("spdxId") for e in first[:-1]]
    assert live_a[-1]["spdxId"] != live_b[-1]["spdxId"]


def test_packages_models_and_datasets() -> None:
    elements = graph()
    sdk = next(e for e in elements if e.get("software_packageUrl") == "pkg:pypi/openai@1.54.4")
    assert sdk["type"] == "software_Package"
    assert sdk["software_primaryPurpose"] == "library"
    assert sdk["software_packageVersion"] == "1.54.4"
    assert "found at: requirements.txt:3, src/app/llm.py:1" in sdk["comment"]

    gpt = named(elements, "gpt-4o")
    openai_org = named(elements, "OpenAI")
    assert gpt["type"] == "ai_AIPackage"
    assert gpt["software_primaryPurpose"] == "model"
    assert gpt["suppliedBy"] == openai_org["spdxId"] and openai_org["type"] == "Organization"
    assert "ai_autonomyType" not in gpt and "ai_typeOfModel" not in gpt

    llama = named(elements, "meta-llama/Llama-3.2-1B-Instruct")
    assert llama["ai_typeOfModel"] == ["llama"]
    assert llama["software_packageUrl"] == "pkg:huggingface/meta-llama/Llama-3.2-1B-Instruct"
    assert (
        llama["software_downloadLocation"]
        == "https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct"
    )

    gguf = named(elements, "llama-3.2-1b-instruct-q4_k_m.gguf")
    assert gguf["type"] == "ai_AIPackage"
    assert gguf["verifiedUsing"] == [
        {"type": "Hash", "algorithm": "sha256", "hashValue": GGUF_SHA256}
    ]
    assert "format: gguf" in gguf["comment"] and GGUF_SHA256 not in gguf["comment"]

    squad = named(elements, "rajpurkar/squad")
    assert squad["type"] == "dataset_DatasetPackage"
    assert squad["dataset_datasetType"] == ["noAssertion"]
    assert squad["software_primaryPurpose"] == "data"
    assert squad["software_downloadLocation"] == "https://huggingface.co/datasets/rajpurkar/squad"

    claude_md = named(elements, "CLAUDE.md")
    assert claude_md["type"] == "software_File"
    assert claude_md["software_primaryPurpose"] == "configuration"

    api = named(elements, "OpenAI API")
    assert api["software_homePage"] == "https://api.openai.com"
    assert api["suppliedBy"] == openai_org["spdxId"]


def test_relationships_link_the_project() -> None:
    elements = graph()
    rels = relationships(elements)
    project = named(elements, "acme-assistant")["spdxId"]
    sbom = next(e for e in elements if e["type"] == "software_Sbom")["spdxId"]
    elements = [e for e in elements if "spdxId" in e]
    assert rels[(sbom, "describes")] == [project]
    names = {e["spdxId"]: e.get("name") for e in elements}
    contained = sorted(names[i] for i in rels[(project, "contains")])
    assert contained == [
        ".cursorrules",
        "CLAUDE.md",
        "data/feedback.jsonl",
        "llama-3.2-1b-instruct-q4_k_m.gguf",
    ]
    depends = sorted(names[i] for i in rels[(project, "dependsOn")])
    assert depends == [
        "@anthropic-ai/sdk",
        "anthropic",
        "anthropics/claude-code-action",
        "claude-3-5-sonnet-20241022",
        "filesystem",
        "gpt-4o",
        "linear",
        "meta-llama/Llama-3.2-1B-Instruct",
        "openai",
        "openai",
        "rajpurkar/squad",
        "transformers",
    ]
    project_rels = [e for e in elements if e["type"] == "Relationship" and e["from"] == project]
    assert {r["completeness"] for r in project_rels} == {"incomplete"}
    gpt = named(elements, "gpt-4o")["spdxId"]
    assert [names[i] for i in rels[(gpt, "dependsOn")]] == ["OpenAI API"]
    sdk = next(
        e for e in elements if e.get("software_packageUrl") == "pkg:npm/%40anthropic-ai/sdk@0.32.1"
    )
    assert [names[i] for i in rels[(sdk["spdxId"], "dependsOn")]] == ["Anthropic API"]


def test_secrets_and_credentials_never_appear() -> None:
    text = render(demo_inventory())
    assert "openai-api-key" not in text and "REDACTED" not in text
    assert REDACTED_SNIPPET not in text and FAKE_OPENAI_KEY not in text
    server = Component(
        type=ComponentType.MCP_SERVER,
        name="remote",
        properties={
            "transport": "http",
            "url": "https://a:FAKE-PW@mcp.example.com/x?key=FAKE-Q",
            "env": {"K": "FAKE-ENV"},
        },
    )
    text = render(Inventory(roots=["r"], components=[server]))
    assert "FAKE-PW" not in text and "FAKE-Q" not in text and "FAKE-ENV" not in text
    assert '"software_downloadLocation": "https://mcp.example.com/x"' in text


def test_registry_returns_the_spdx_writer() -> None:
    writer = get_writer("spdx")
    assert isinstance(writer, SpdxWriter)
    assert writer.media_type == "application/spdx+json"


def test_places_in_comments_are_bounded_with_the_rest_counted() -> None:
    sdk = named(graph(crowded_inventory()), "openai")
    found = sdk["comment"].split("found at: ", 1)[1]
    places = found.split(", ")
    assert len(places) == 101
    assert places[-1] == "and 140 more places"
    assert len({p.split(":")[0] for p in places[:-1]}) == 80
