"""MCP server definitions in every client dialect, normalised to one `MCPServer` shape.

Dialects: `mcpServers` (Claude Code, Claude Desktop, Cursor, Gemini CLI, Windsurf, Cline, Roo,
Kiro, Amazon Q, Junie), VS Code `servers` (+ `inputs`), Zed `context_servers`, Codex TOML
`[mcp_servers.<name>]`, Continue YAML (`mcpServers` as a list), opencode `mcp` (command arrays,
`type: local|remote`). Parsing is static: nothing is started or fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aims.agents.structured import key_line

_NPM_RUNNERS = {"npx", "bunx", "pnpx"}
_NPM_DLX = {"pnpm", "yarn", "bun", "npm"}
_PY_RUNNERS = {"uvx", "pipx"}
_OPTS_WITH_VALUE_DOCKER = {
    "-e",
    "--env",
    "-v",
    "--volume",
    "-p",
    "--publish",
    "--name",
    "--network",
    "--net",
    "-w",
    "--workdir",
    "--env-file",
    "-u",
    "--user",
    "--mount",
    "--entrypoint",
    "-l",
    "--label",
    "--platform",
    "--cpus",
    "-m",
    "--memory",
    "--add-host",
    "--pull",
    "--restart",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "-h",
    "--hostname",
    "--device",
    "--dns",
}
_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")


@dataclass(slots=True)
class MCPServer:
    """One MCP server as a client would launch or connect to it (values stay in memory only)."""

    name: str
    client: str
    path: str
    line: int
    offset: int
    transport: str
    command: str = ""
    args: list[str] = field(default_factory=list)
    url: str = ""
    env: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    package: str = ""
    version: str = ""
    ecosystem: str = ""
    pinned: bool | None = None
    image: str = ""
    git_source: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def host(self) -> str:
        """Host of a remote server's URL ('' for local servers)."""
        try:
            return (urlsplit(self.url).hostname or "").lower() if self.url else ""
        except ValueError:
            return ""

    @property
    def safe_url(self) -> str:
        """The URL without credentials, query or fragment (what output may show)."""
        try:
            parts = urlsplit(self.url)
        except ValueError:
            return ""
        if not parts.scheme:
            return ""
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"


def _str_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    if isinstance(value, str):
        return value.split()
    return []


def _str_dict(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, (str, int, float, bool))}
    if isinstance(value, list):  # Continue/Codex style ["NAME"] or ["NAME=value"]
        out: dict[str, str] = {}
        for item in value:
            if isinstance(item, str):
                name, _, val = item.partition("=")
                out[name] = val
        return out
    return {}


def server_blocks(data: Any) -> list[tuple[str, dict[str, Any], str]]:
    """(name, definition, dialect) of every server definition in a parsed config."""
    out: list[tuple[str, dict[str, Any], str]] = []
    if not isinstance(data, dict):
        return out
    for key, dialect in (
        ("mcpServers", "mcpServers"),
        ("mcp_servers", "toml"),
        ("servers", "vscode"),
        ("context_servers", "zed"),
        ("mcp", "opencode"),
    ):
        block = data.get(key)
        if key == "mcp" and isinstance(block, dict) and isinstance(block.get("servers"), dict):
            block, dialect = block["servers"], "vscode"
        if isinstance(block, dict):
            for name, spec in block.items():
                if isinstance(spec, dict):
                    out.append((str(name), spec, dialect))
        elif isinstance(block, list):
            for i, spec in enumerate(block):
                if isinstance(spec, dict):
                    out.append((str(spec.get("name") or f"server-{i + 1}"), spec, "list"))
    # Amazon Q agent files and Continue blocks nest one level deeper.
    for nested in ("experimental", "amazonq"):
        if isinstance(data.get(nested), dict):
            out += server_blocks(data[nested])
    return out


def parse_servers(data: Any, *, text: str, path: str, client: str) -> list[MCPServer]:
    """Normalise every server definition in `data` (parsed from `text`)."""
    servers: list[MCPServer] = []
    cursor = 0
    for name, spec, dialect in server_blocks(data):
        line, offset = key_line(text, name, after=cursor)
        cursor = offset + 1
        servers.append(
            _server(name, spec, dialect, path=path, client=client, line=line, offset=offset)
        )
    return servers


def _server(
    name: str, spec: dict[str, Any], dialect: str, *, path: str, client: str, line: int, offset: int
) -> MCPServer:
    command_value = spec.get("command")
    if isinstance(command_value, dict):  # Zed's older {"command": {"path":..., "args":...}}
        args = _str_list(command_value.get("args"))
        command = str(command_value.get("path", ""))
        env = _str_dict(command_value.get("env"))
    elif isinstance(command_value, list):  # opencode ["npx", "-y", "pkg"]
        parts = _str_list(command_value)
        command, args = (parts[0], parts[1:]) if parts else ("", [])
        env = _str_dict(spec.get("environment") or spec.get("env"))
    else:
        command = str(command_value or "")
        args = _str_list(spec.get("args"))
        env = _str_dict(spec.get("env") or spec.get("environment"))
        if command and not args and " " in command.strip():
            first, *rest = command.split()
            command, args = first, rest
    url = str(spec.get("url") or spec.get("serverUrl") or spec.get("httpUrl") or "")
    declared = str(spec.get("type") or spec.get("transport") or "").lower()
    if url:
        try:
            url_path = urlsplit(url).path
        except ValueError:
            url_path = url
        transport = "sse" if "sse" in declared or url_path.rstrip("/").endswith("/sse") else "http"
    else:
        transport = "stdio"
    headers = _str_dict(spec.get("headers") or spec.get("http_headers"))
    for env_key in ("env_http_headers",):
        headers.update(_str_dict(spec.get(env_key)))
    server = MCPServer(
        name=name,
        client=client,
        path=path,
        line=line,
        offset=offset,
        transport=transport,
        command=command,
        args=args,
        url=url,
        env=env,
        headers=headers,
        raw=spec,
    )
    _identify_package(server)
    return server


def _base(command: str) -> str:
    return re.split(r"[\\/]", command)[-1].lower().removesuffix(".exe").removesuffix(".cmd")


def split_npm_spec(spec: str) -> tuple[str, str]:
    """(`name`, `version`) of an npm package spec such as `@scope/pkg@1.2.3`."""
    at = spec.rfind("@")
    if at > 0:
        return spec[:at], spec[at + 1 :]
    return spec, ""


def split_py_spec(spec: str) -> tuple[str, str]:
    """(`name`, `version`) of a Python requirement such as `pkg==1.2.3` or `pkg@1.2.3`."""
    m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*(==|@|>=|~=|<=|>|<|!=)?\s*(.*)$", spec)
    if not m:
        return spec, ""
    name, op, version = m.group(1), m.group(2) or "", m.group(3)
    if op in ("==", "@"):
        return name, version
    return name, f"{op}{version}" if op else ""


def _first_positional(args: list[str], with_value: set[str]) -> tuple[int, str]:
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg.startswith("-"):
            if arg in with_value:
                skip = True
            continue
        return i, arg
    return -1, ""


def _identify_package(s: MCPServer) -> None:
    base = _base(s.command)
    args = list(s.args)
    for arg in [s.command, *args]:
        if arg.startswith(("git+", "github:")) or re.match(
            r"https://(?:github|gitlab)\.com/[^/]+/[^/\s]+?(?:\.git)?(?:[#@].*)?$", arg
        ):
            s.git_source = arg
            ref = re.search(r"[#@]([0-9a-f]{40})\b", arg)
            s.pinned = bool(ref)
            s.ecosystem = "git"
            return
    if base in _NPM_RUNNERS or (base in _NPM_DLX and args[:1] in (["dlx"], ["exec"])):
        rest = args[1:] if base in _NPM_DLX else args
        package_opt = next(
            (rest[i + 1] for i, a in enumerate(rest[:-1]) if a in ("-p", "--package")), ""
        )
        if not package_opt:
            package_opt = next((a.split("=", 1)[1] for a in rest if a.startswith("--package=")), "")
        _, spec = _first_positional(rest, {"-p", "--package", "-c", "--call"})
        spec = package_opt or spec
        if spec:
            s.package, s.version = split_npm_spec(spec)
            s.ecosystem = "npm"
            s.pinned = bool(_SEMVER.match(s.version))
        return
    if base in _PY_RUNNERS or (base == "uv" and args[:2] == ["tool", "run"]):
        rest = (
            args[2:]
            if base == "uv"
            else (args[1:] if base == "pipx" and args[:1] == ["run"] else args)
        )
        from_opt = next(
            (rest[i + 1] for i, a in enumerate(rest[:-1]) if a in ("--from", "--spec")), ""
        )
        _, spec = _first_positional(
            rest, {"--from", "--spec", "--with", "-p", "--python", "--index-url", "--index"}
        )
        spec = from_opt or spec
        if spec:
            s.package, s.version = split_py_spec(spec)
            s.ecosystem = "pypi"
            s.pinned = bool(re.match(r"^\d+(?:\.\d+)*(?:[a-z0-9.+-]*)$", s.version))
        return
    if base in ("docker", "podman", "nerdctl") and args[:1] in (["run"], ["container"]):
        rest = args[1:] if args[:1] == ["run"] else args[2:]
        _, image = _first_positional(rest, _OPTS_WITH_VALUE_DOCKER)
        if image:
            s.image = image
            s.ecosystem = "docker"
            s.package = re.split(r"[@]", image)[0]
            s.package = re.sub(r":[^/:]+$", "", s.package)
            s.pinned = "@sha256:" in image
            tag = re.search(r":([^/:@]+)(?:@|$)", image)
            s.version = tag.group(1) if tag else ""
        return
