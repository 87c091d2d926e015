"""The mcp-configs detector: MCP server definitions in every client's files and dialects, as
`mcp-server` components plus the AIM4xx lint findings. Static only: nothing is started.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aims.agents.hits import Hit, to_finding
from aims.agents.knowledge import classify
from aims.agents.mcp import MCPServer
from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "mcp-configs"


class MCPConfigDetector:
    """Finds MCP servers (name, client, transport, command, package, pin, host, env names)."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """Files that may define MCP servers, and bundled server manifests."""
        surface = classify(relpath)
        return surface is not None and (surface.mcp or surface.kind == "manifest")

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """None: MCP files are selected by path."""
        return None

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Return one `mcp-server` component per server and the file's AIM4xx findings."""
        from aims.agents import mcpchecks as mc
        from aims.agents.mcp import parse_servers
        from aims.agents.structured import load_structured
        from aims.agents.textchecks import unicode_hits
        from aims.scanner.detectors.agent_configs import agent_component

        result = DetectResult()
        surface = classify(file.relpath)
        if surface is None:
            return result
        text = file.text
        data, error = load_structured(text, surface.format)
        hits: list[Hit] = []
        own_file = surface.kind in ("mcp", "manifest")
        if surface.kind == "manifest" and not _is_mcp_manifest(data):
            return result
        if own_file:
            hits += unicode_hits(text)
            result.components.append(agent_component(file.relpath, surface))
        if error:
            if own_file:
                hits.append(
                    Hit(
                        "AIM553",
                        1,
                        f"{surface.client} cannot read this file ({error}); the agent silently ignores it",
                        match=f"parse:{surface.client}",
                        evidence=error,
                    )
                )
                result.warnings.append(
                    ScanWarning(file.relpath, f"cannot parse {surface.format}: {error}")
                )
            result.findings += [to_finding(h, file.relpath) for h in hits]
            return result
        if surface.kind == "manifest":
            hits += mc.tool_description_hits(data, text)
            bundled = (
                data.get("server", {}).get("mcp_config")
                if isinstance(data.get("server"), dict)
                else None
            )
            data = (
                {"mcpServers": {str(data.get("name", "bundle")): bundled}}
                if isinstance(bundled, dict)
                else {}
            )
        servers = parse_servers(data, text=text, path=file.relpath, client=surface.client)
        for server in servers:
            hits += mc.server_hits(server, text)
            result.components.append(server_component(server))
        trifecta = mc.trifecta_hit(servers)
        if trifecta:
            hits.append(trifecta)
        hits += mc.input_hits(data, text)
        if surface.kind == "mcp":
            from aims.agents.settingschecks import comment_field_hits

            hits += [
                h
                for h in comment_field_hits(data, text)
                if not any(x.rule_id == "AIM414" and x.line == h.line for x in hits)
            ]
        result.findings += [to_finding(h, file.relpath) for h in hits]
        return result


def _is_mcp_manifest(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    server = data.get("server")
    return (
        ("dxt_version" in data or "manifest_version" in data)
        and isinstance(server, dict)
        and "mcp_config" in server
    ) or ("modelcontextprotocol" in str(data.get("$schema", "")))


def server_component(s: MCPServer) -> Component:
    """The `mcp-server` component of one server (env and header names only, never values)."""
    props: dict[str, Any] = {
        "server": s.name,
        "client": s.client,
        "file": s.path,
        "transport": s.transport,
    }
    if s.command:
        props["command"] = s.command
    if s.package:
        props["package"] = s.package
        props["pinned"] = bool(s.pinned)
    if s.version:
        props["package_version"] = s.version
    if s.image:
        props["image"] = s.image
    if s.git_source:
        props["git"] = s.git_source.split("@")[0] if "://" not in s.git_source else s.git_source
        props["pinned"] = bool(s.pinned)
    if s.url:
        props["url"] = s.safe_url
        props["host"] = s.host
    if s.env:
        props["env"] = sorted(s.env)
    if s.headers:
        props["headers"] = sorted(s.headers)
    return Component(
        type=ComponentType.MCP_SERVER,
        name=s.name,
        version=s.version if s.pinned else None,
        ecosystem=s.ecosystem or None,
        category=s.transport,
        evidence=[Evidence(path=s.path, line=s.line, detector=DETECTOR_NAME, snippet=s.name)],
        properties=props,
    )
