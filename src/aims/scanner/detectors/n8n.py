"""AI in n8n workflows: the workflow JSON exported from n8n, with its model, agent and MCP
nodes (`catalog/data/n8n.yaml`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog
    from aims.catalog.n8n import N8nIndex

DETECTOR_NAME = "n8n"
_MODEL_KEYS = ("model", "modelName", "modelId")
_MCP_CLIENT = "@n8n/n8n-nodes-langchain.mcpClientTool"
_MCP_TRIGGER = "@n8n/n8n-nodes-langchain.mcpTrigger"
_AGENT_SUFFIXES = (".agent", ".agentTool", ".openAiAssistant")


def workflows_in(data: Any) -> list[dict[str, Any]]:
    """The n8n workflows in a parsed JSON document: one workflow, or a list of them."""
    candidates = data if isinstance(data, list) else [data]
    return [
        w
        for w in candidates
        if isinstance(w, dict)
        and isinstance(w.get("nodes"), list)
        and any(isinstance(n, dict) and isinstance(n.get("type"), str) for n in w["nodes"])
    ]


def model_of(parameters: Any) -> str | None:
    """The model a node's parameters name: a string or an n8n resource locator's `value`."""
    if not isinstance(parameters, dict):
        return None
    for key in _MODEL_KEYS:
        value = parameters.get(key)
        if isinstance(value, dict):
            value = value.get("value")
        if isinstance(value, str) and value.strip() and not value.lstrip().startswith("="):
            return value.strip().removeprefix("models/")  # NOTE: `=` starts an n8n expression
    return None


class N8nDetector:
    """Finds n8n workflows that use AI nodes, and the providers, models and MCP servers in them."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """JSON files (n8n exports workflows as JSON)."""
        return name.lower().endswith(".json")

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """The node packages of the catalogued AI nodes."""
        from aims.catalog.n8n import PACKAGES

        return [p.encode() for p in PACKAGES]

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """An `ai-workflow` per workflow with AI nodes, plus providers, models, MCP servers."""
        from aims.catalog.n8n import load_n8n

        result = DetectResult()
        text = file.text
        if '"nodes"' not in text:
            return result
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return result  # NOTE: not JSON or not a workflow: other detectors read the file
        index = load_n8n()
        lines = _source.LineIndex(text)
        for workflow in workflows_in(data):
            try:
                _workflow(file.relpath, text, lines, workflow, index, ctx.catalog, result)
            except (TypeError, ValueError, AttributeError) as exc:
                result.warnings.append(ScanWarning(file.relpath, f"n8n: {exc}"))
        return result


def _node_line(text: str, lines: _source.LineIndex, node: dict[str, Any], start: int) -> int:
    """Line of a node's `"name": ...` (or `"type": ...`) at or after `start`, else of `start`."""
    for key in ("name", "type"):
        value = node.get(key)
        if isinstance(value, str):
            pattern = rf'"{key}"\s*:\s*{re.escape(json.dumps(value))}'
            m = re.compile(pattern).search(text, start)
            if m is not None:
                return lines.line_of(m.start())
    return lines.line_of(start)


def _workflow(
    relpath: str,
    text: str,
    lines: _source.LineIndex,
    workflow: dict[str, Any],
    index: N8nIndex,
    catalog: Catalog,
    result: DetectResult,
) -> None:
    nodes_at = max(text.find('"nodes"'), 0)
    providers: dict[str, Component] = {}
    ai_types: set[str] = set()
    first_line: int | None = None
    agent = False
    for node in workflow["nodes"]:
        if not isinstance(node, dict) or not isinstance(node.get("type"), str):
            continue
        node_type: str = node["type"]
        entry = index.entry(node_type)
        if entry is None:
            continue
        line = _node_line(text, lines, node, nodes_at)
        evidence = Evidence(relpath, line, DETECTOR_NAME, _source.snippet(lines.line_text(line)))
        first_line = line if first_line is None else min(first_line, line)
        ai_types.add(node_type.rsplit(".", 1)[-1])
        agent = agent or node_type.endswith(_AGENT_SUFFIXES)
        if entry.provider:
            component = providers.setdefault(
                entry.provider,
                Component(
                    type=ComponentType.PROVIDER,
                    name=entry.provider,
                    provider=entry.provider,
                    properties={"n8n_nodes": []},
                ),
            )
            component.evidence.append(evidence)
            if node_type not in component.properties["n8n_nodes"]:
                component.properties["n8n_nodes"].append(node_type)
            model = model_of(node.get("parameters"))
            if model is not None and catalog.model_family(model) is None:
                # NOTE: catalogued model IDs are reported by the model-refs detector already.
                result.components.append(
                    Component(
                        type=ComponentType.MODEL,
                        name=model,
                        provider=entry.provider,
                        category="n8n-node",
                        evidence=[evidence],
                        properties={"n8n_node": node_type},
                    )
                )
        elif node_type in (_MCP_CLIENT, _MCP_TRIGGER):
            result.components.append(_mcp_server(relpath, node, evidence))
    if first_line is None:
        return
    result.components.extend(providers.values())
    name = workflow.get("name") if isinstance(workflow.get("name"), str) else None
    result.components.append(
        Component(
            type=ComponentType.AI_WORKFLOW,
            name=f"{relpath}#{name}" if name else relpath,
            provider=next(iter(providers)) if len(providers) == 1 else None,
            category="agent" if agent else "ai-automation",
            evidence=[
                Evidence(
                    relpath,
                    first_line,
                    DETECTOR_NAME,
                    _source.snippet(lines.line_text(first_line)),
                )
            ],
            properties={
                "engine": "n8n",
                "workflow": name or "",
                "ai_nodes": sorted(ai_types),
                "providers": sorted(providers),
            },
        )
    )


def _mcp_server(relpath: str, node: dict[str, Any], evidence: Evidence) -> Component:
    raw = node.get("parameters")
    parameters: dict[str, Any] = raw if isinstance(raw, dict) else {}
    name = str(node.get("name") or "mcp")
    props: dict[str, Any] = {"server": name, "client": "n8n", "file": relpath}
    if node.get("type") == _MCP_TRIGGER:
        props["defined_in"] = "n8n"
        transport = "http"
        if isinstance(parameters.get("path"), str):
            props["path"] = parameters["path"]
    else:
        url = next(
            (
                parameters[k]
                for k in ("endpointUrl", "sseEndpoint")
                if isinstance(parameters.get(k), str)
            ),
            "",
        )
        streamable = parameters.get("serverTransport") in ("httpStreamable", "streamableHttp")
        transport = "http" if streamable or "endpointUrl" in parameters else "sse"
        safe = _safe_url(url)
        if safe:
            props["url"] = safe
            props["host"] = (urlsplit(safe).hostname or "").lower()
    props["transport"] = transport
    return Component(
        type=ComponentType.MCP_SERVER,
        name=name,
        category=transport,
        evidence=[evidence],
        properties=props,
    )


def _safe_url(url: str) -> str:
    """The URL without credentials, query or fragment; '' for expressions and non-URLs."""
    if url.startswith("="):
        return ""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"
