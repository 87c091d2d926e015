"""Discovery: every client's files become `agent-config` components and every MCP dialect
becomes `mcp-server` components with the facts the policy gate matches on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.agents.knowledge import classify, load_knowledge
from aims.inventory import ComponentType
from aims.scanner.engine import ScanOptions, scan

SURFACES = load_knowledge().surfaces


@pytest.mark.parametrize("surface", SURFACES, ids=[f"{s.client}:{s.paths[0]}" for s in SURFACES])
def test_surface_examples(surface) -> None:  # type: ignore[no-untyped-def]
    found = classify(surface.match)
    assert found is not None and (found.client, found.kind) == (surface.client, surface.kind)
    missed = classify(surface.miss)
    assert missed is None or missed.client != surface.client or missed.kind != surface.kind


FILES = {
    "CLAUDE.md": "# Project\n",
    "services/api/CLAUDE.local.md": "# Local\n",
    ".claude/settings.json": '{"permissions": {"allow": ["Bash(npm test:*)"]}}',
    ".claude/agents/reviewer.md": "---\nname: reviewer\n---\nReview.\n",
    ".claude/commands/ship.md": "Ship it.\n",
    ".claude/skills/pdf/SKILL.md": "---\nname: pdf\n---\nMake PDFs.\n",
    ".claude/hooks/check.sh": "#!/bin/sh\nexit 0\n",
    "AGENTS.md": "# Agents\n",
    "web/AGENTS.override.md": "# Override\n",
    "GEMINI.md": "# Gemini\n",
    ".cursorrules": "Use tabs.\n",
    ".cursor/rules/py.mdc": "Use ruff.\n",
    ".github/copilot-instructions.md": "Be brief.\n",
    ".github/instructions/ts.instructions.md": "Strict TS.\n",
    ".github/prompts/review.prompt.md": "Review.\n",
    ".windsurfrules": "Rules.\n",
    ".windsurf/rules/a.md": "Rules.\n",
    ".clinerules/01.md": "Rules.\n",
    ".roo/rules/01.md": "Rules.\n",
    ".roomodes": "customModes: []\n",
    ".continue/config.yaml": "name: demo\n",
    ".aider.conf.yml": "model: sonnet\n",
    "CONVENTIONS.md": "# Conventions\n",
    ".kiro/steering/product.md": "# Product\n",
    ".amazonq/rules/style.md": "# Style\n",
    ".junie/guidelines.md": "# Guidelines\n",
    ".opencode/agent/review.md": "Review.\n",
    ".mcp.json": (
        '{"mcpServers": {"fs": {"command": "npx", "args": ["-y", '
        '"@modelcontextprotocol/server-filesystem@2025.8.21", "./docs"], '
        '"env": {"LOG_LEVEL": "debug", "API_TOKEN": "${API_TOKEN}"}}}}'
    ),
    ".cursor/mcp.json": '{"mcpServers": {"docs": {"url": "https://user:pw@mcp.example.com/sse?x=1"}}}',
    ".vscode/mcp.json": (
        '{"inputs": [], "servers": {"gh": {"type": "http", "url": "https://api.githubcopilot.com/mcp/", '
        '"headers": {"Authorization": "Bearer ${input:gh}"}}}}'
    ),
    ".zed/settings.json": (
        '// zed\n{"context_servers": {"pg": {"command": {"path": "uvx", '
        '"args": ["mcp-server-postgres==0.1.0"], "env": {}}}},}'
    ),
    ".codex/config.toml": (
        '[mcp_servers.fetch]\ncommand = "uvx"\nargs = ["mcp-server-fetch==2025.4.7"]\n'
        'env = { "PROXY" = "http://proxy" }\n'
    ),
    "opencode.json": (
        '{"mcp": {"ctx": {"type": "local", "command": ["npx", "-y", "@upstash/context7-mcp@1.0.14"]},'
        ' "remote": {"type": "remote", "url": "https://mcp.example.org/mcp"}}}'
    ),
    ".continue/mcpServers/db.yaml": (
        "name: db\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: sqlite\n    command: uvx\n"
        "    args: [mcp-server-sqlite, --db-path, ./app.db]\n"
    ),
    ".gemini/settings.json": '{"mcpServers": {"img": {"command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch"]}}}',
    "claude_desktop_config.json": '{"mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time"]}}}',
    ".kiro/settings/mcp.json": '{"mcpServers": {"k": {"command": "uvx", "args": ["--from", "git+https://github.com/acme/k-mcp", "k"]}}}',
    ".amazonq/mcp.json": '{"mcpServers": {"q": {"command": "pnpm", "args": ["dlx", "q-mcp@1.2.3"]}}}',
    ".junie/mcp/mcp.json": '{"mcpServers": {"j": {"command": "bunx", "args": ["j-mcp"]}}}',
    ".roo/mcp.json": '{"mcpServers": {"r": {"url": "https://r.example.com/sse", "type": "sse"}}}',
}


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("repo")
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return scan(
        [str(root)],
        ScanOptions(detectors=("agent-configs", "mcp-configs"), use_cache=False, jobs=1),
    )


def test_every_agent_surface_is_a_component(inventory) -> None:  # type: ignore[no-untyped-def]
    configs = {
        c.name: c.properties["client"] for c in inventory.of_type(ComponentType.AGENT_CONFIG)
    }
    expected = {
        "CLAUDE.md": "claude-code",
        "services/api/CLAUDE.local.md": "claude-code",
        ".claude/settings.json": "claude-code",
        ".claude/agents/reviewer.md": "claude-code",
        ".claude/commands/ship.md": "claude-code",
        ".claude/skills/pdf/SKILL.md": "claude-code",
        ".claude/hooks/check.sh": "claude-code",
        "AGENTS.md": "agents-md",
        "web/AGENTS.override.md": "agents-md",
        "GEMINI.md": "gemini-cli",
        ".cursorrules": "cursor",
        ".cursor/rules/py.mdc": "cursor",
        ".github/copilot-instructions.md": "copilot",
        ".github/instructions/ts.instructions.md": "copilot",
        ".github/prompts/review.prompt.md": "copilot",
        ".windsurfrules": "windsurf",
        ".windsurf/rules/a.md": "windsurf",
        ".clinerules/01.md": "cline",
        ".roo/rules/01.md": "roo",
        ".roomodes": "roo",
        ".continue/config.yaml": "continue",
        ".aider.conf.yml": "aider",
        "CONVENTIONS.md": "aider",
        ".kiro/steering/product.md": "kiro",
        ".amazonq/rules/style.md": "amazon-q",
        ".junie/guidelines.md": "junie",
        ".opencode/agent/review.md": "opencode",
        ".codex/config.toml": "codex",
        ".zed/settings.json": "zed",
        "opencode.json": "opencode",
        ".mcp.json": "claude-code",
        "claude_desktop_config.json": "claude-desktop",
    }
    for name, client in expected.items():
        assert configs.get(name) == client, name


def _servers(inventory):  # type: ignore[no-untyped-def]
    return {c.properties["server"]: c for c in inventory.of_type(ComponentType.MCP_SERVER)}


def test_every_mcp_dialect_is_parsed(inventory) -> None:  # type: ignore[no-untyped-def]
    servers = _servers(inventory)
    clients = {name: c.properties["client"] for name, c in servers.items()}
    assert clients == {
        "fs": "claude-code",
        "docs": "cursor",
        "gh": "copilot",
        "pg": "zed",
        "fetch": "codex",
        "ctx": "opencode",
        "remote": "opencode",
        "sqlite": "continue",
        "img": "gemini-cli",
        "time": "claude-desktop",
        "k": "kiro",
        "q": "amazon-q",
        "j": "junie",
        "r": "roo",
    }


def test_server_facts_without_values(inventory) -> None:  # type: ignore[no-untyped-def]
    servers = _servers(inventory)
    fs = servers["fs"].properties
    assert fs["package"] == "@modelcontextprotocol/server-filesystem"
    assert fs["pinned"] is True and fs["transport"] == "stdio" and fs["command"] == "npx"
    assert fs["env"] == ["API_TOKEN", "LOG_LEVEL"]
    assert servers["fs"].version == "2025.8.21" and servers["fs"].ecosystem == "npm"
    docs = servers["docs"].properties
    assert docs["host"] == "mcp.example.com" and docs["transport"] == "sse"
    assert docs["url"] == "https://mcp.example.com/sse"  # no user, password or query
    assert servers["gh"].properties["headers"] == ["Authorization"]
    assert servers["gh"].properties["transport"] == "http"
    assert servers["pg"].properties["package"] == "mcp-server-postgres"
    assert servers["fetch"].properties["pinned"] is True
    assert servers["fetch"].properties["env"] == ["PROXY"]
    assert servers["ctx"].properties["package"] == "@upstash/context7-mcp"
    assert servers["sqlite"].properties["pinned"] is False
    assert servers["img"].properties["image"] == "mcp/fetch"
    assert servers["img"].properties["pinned"] is False
    assert servers["time"].properties["pinned"] is False
    assert servers["k"].properties["pinned"] is False and "git" in servers["k"].properties
    assert (
        servers["q"].properties["package"] == "q-mcp" and servers["q"].properties["pinned"] is True
    )
    assert servers["j"].properties["package"] == "j-mcp"
    assert servers["r"].properties["transport"] == "sse"
    text = repr([c.properties for c in inventory.components])
    assert "pw" not in text.replace("pwsh", "")


def test_discovery_never_raises_on_garbage(tmp_path: Path) -> None:
    for rel in (
        ".mcp.json",
        ".codex/config.toml",
        ".continue/config.yaml",
        ".claude/settings.json",
    ):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xfe{[\x00garbage: :")
    inv = scan(
        [str(tmp_path)],
        ScanOptions(detectors=("agent-configs", "mcp-configs"), use_cache=False, jobs=1),
    )
    assert not [w for w in inv.warnings if "failed" in w.message]
