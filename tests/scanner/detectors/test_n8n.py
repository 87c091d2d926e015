"""AI in n8n workflow exports: catalog examples, nodes, models, MCP tools, non-workflows."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aims.catalog import load_catalog
from aims.catalog.n8n import load_n8n
from aims.inventory import Component, ComponentType
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.n8n import N8nDetector, model_of, workflows_in

ENTRIES = load_n8n().entries


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.provider or "ai-node" for e in ENTRIES])
def test_catalog_examples(entry) -> None:
    index = load_n8n()
    for positive in entry.examples.positive:
        assert index.entry(positive) is entry, positive
    for negative in entry.examples.negative:
        assert index.entry(negative) is not entry, negative


def test_catalog_providers_exist() -> None:
    catalog = load_catalog()
    for entry in ENTRIES:
        assert entry.provider is None or catalog.provider(entry.provider) is not None


def _node(name: str, node_type: str, **parameters: Any) -> dict[str, Any]:
    return {"parameters": parameters, "name": name, "type": node_type, "position": [0, 0]}


def _detect(relpath: str, document: Any) -> list[Component]:
    text = json.dumps(document, indent=2)
    file = ScanFile(relpath=relpath, abspath=relpath, data=text.encode(), size=len(text))
    return N8nDetector().detect(file, DetectContext(catalog=load_catalog())).components


def _by_type(components: list[Component]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in components:
        out.setdefault(c.type.value, []).append(c.name)
    return {k: sorted(v) for k, v in out.items()}


LC = "@n8n/n8n-nodes-langchain."


def test_workflow_nodes_become_components() -> None:
    workflow = {
        "name": "Research agent",
        "nodes": [
            _node("Chat", LC + "chatTrigger"),
            _node("Agent", LC + "agent"),
            _node(
                "Claude", LC + "lmChatAnthropic", model={"__rl": True, "value": "claude-x-internal"}
            ),
            _node("Groq", LC + "lmChatGroq", model="={{ $json.model }}"),
            _node(
                "Docs", LC + "mcpClientTool", endpointUrl="https://user:pw@mcp.example.com/mcp?t=1"
            ),
            _node("Expose", LC + "mcpTrigger", path="research"),
            _node("Sheet", "n8n-nodes-base.googleSheets"),
        ],
        "connections": {},
    }
    components = _detect("flows/research.json", workflow)
    assert _by_type(components) == {
        "provider": ["anthropic", "groq"],
        "model": ["claude-x-internal"],  # unknown to the catalog: named by the node
        "mcp-server": ["Docs", "Expose"],
        "ai-workflow": ["flows/research.json#Research agent"],
    }
    (model,) = [c for c in components if c.type is ComponentType.MODEL]
    assert model.provider == "anthropic"
    docs = next(c for c in components if c.name == "Docs")
    assert docs.properties["url"] == "https://mcp.example.com/mcp"  # no credentials, no query
    assert (docs.category, docs.properties["host"]) == ("http", "mcp.example.com")
    expose = next(c for c in components if c.name == "Expose")
    assert expose.properties["defined_in"] == "n8n" and expose.properties["path"] == "research"
    (flow,) = [c for c in components if c.type is ComponentType.AI_WORKFLOW]
    assert flow.category == "agent"
    assert flow.provider is None  # two providers
    assert flow.properties["ai_nodes"] == [
        "agent",
        "lmChatAnthropic",
        "lmChatGroq",
        "mcpClientTool",
        "mcpTrigger",
    ]


def test_catalogued_model_ids_are_left_to_model_refs() -> None:
    workflow = {"nodes": [_node("GPT", LC + "lmChatOpenAi", model="gpt-4o-mini")]}
    assert _by_type(_detect("wf.json", workflow)) == {
        "provider": ["openai"],
        "ai-workflow": ["wf.json"],
    }


def test_lines_point_at_each_node() -> None:
    workflow = {"name": "x", "nodes": [_node("Sheet", "n8n-nodes-base.googleSheets"),
                                       _node("Ollama", LC + "lmChatOllama")]}  # fmt: skip
    (provider,) = [c for c in _detect("wf.json", workflow) if c.type is ComponentType.PROVIDER]
    text = json.dumps(workflow, indent=2).splitlines()
    assert '"name": "Ollama"' in text[provider.evidence[0].line - 1]


@pytest.mark.parametrize(
    "document",
    [
        {"name": "backup", "nodes": [_node("Cron", "n8n-nodes-base.cron")]},
        {"dependencies": {"@n8n/n8n-nodes-langchain": "1.0.0"}, "nodes": "none"},
        [{"nodes": []}],
    ],
)
def test_no_ai_nodes_no_components(document: Any) -> None:
    assert _detect("x.json", document) == []


def test_helpers() -> None:
    assert model_of({"modelName": "models/gemini-2.0-flash"}) == "gemini-2.0-flash"
    assert model_of({"model": {"__rl": True, "value": "gpt-4o"}}) == "gpt-4o"
    assert model_of({"model": "={{ $json.m }}"}) is None
    assert model_of(None) is None
    assert len(workflows_in([{"nodes": [{"type": "a"}]}, {"nodes": [{"type": "b"}]}])) == 2
    assert workflows_in({"nodes": [1, 2]}) == []


def test_invalid_json_is_ignored() -> None:
    file = ScanFile(relpath="x.json", abspath="x.json", data=b'{"nodes": [', size=11)
    assert N8nDetector().detect(file, DetectContext(catalog=load_catalog())).components == []
