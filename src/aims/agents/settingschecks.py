"""AIM5xx rules over agent settings: permissions, modes, hooks, redirections, frontmatter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from aims.agents import commands as cmd
from aims.agents.hits import Hit, shorten
from aims.agents.knowledge import host_in, load_knowledge
from aims.agents.mcpchecks import literal_secret
from aims.agents.structured import key_line, value_line
from aims.agents.textchecks import signals

CLAUDE_TOOLS = frozenset(
    {
        "Agent",
        "Bash",
        "BashOutput",
        "Edit",
        "ExitPlanMode",
        "Glob",
        "Grep",
        "KillShell",
        "LS",
        "MultiEdit",
        "NotebookEdit",
        "NotebookRead",
        "Read",
        "SlashCommand",
        "Skill",
        "Task",
        "TodoWrite",
        "WebFetch",
        "WebSearch",
        "Write",
    }
)
_RULE = re.compile(r"^(?P<tool>[A-Za-z_][\w-]*)(?:\((?P<spec>.*)\))?$")
_BASE_URL_VARS = re.compile(
    r"^(?:ANTHROPIC|OPENAI|CLAUDE_CODE|GOOGLE_GEMINI|GEMINI|ANTHROPIC_BEDROCK|ANTHROPIC_VERTEX|AZURE_OPENAI)_(?:BASE_URL|API_BASE|ENDPOINT)$|^OPENAI_API_BASE$"
)
_PROSE_BANS = (
    (
        re.compile(r"\b(?:never|do\s+not|don't|must\s+not)\s+(?:run\s+)?(?:git\s+)?push\b", re.I),
        re.compile(r"^Bash(?:\((?:git(?:\s+push)?(?::\*|\s*\*|\s+\*)?|\*|:\*)\))?$"),
        "git push",
    ),
    (
        re.compile(
            r"\b(?:never|do\s+not|don't|must\s+not)\s+(?:run\s+)?(?:any\s+)?(?:shell|bash|terminal)\s+commands?\b",
            re.I,
        ),
        re.compile(r"^Bash(?:\(\*\)|\(:\*\))?$"),
        "shell commands",
    ),
    (
        re.compile(
            r"\b(?:never|do\s+not|don't|must\s+not)\s+(?:fetch|access|browse)\s+(?:the\s+)?(?:web|internet|urls?)\b",
            re.I,
        ),
        re.compile(r"^(?:WebFetch|WebSearch)(?:\((?:domain:)?\*\))?$"),
        "web access",
    ),
    (
        re.compile(
            r"\b(?:never|do\s+not|don't|must\s+not)\s+(?:edit|modify|change|write\s+to)\s+(?:any\s+)?files?\b",
            re.I,
        ),
        re.compile(r"^(?:Edit|Write|MultiEdit)(?:\(\*\*?\))?$"),
        "file edits",
    ),
    (
        re.compile(
            r"\b(?:never|do\s+not|don't|must\s+not)\s+(?:delete|remove)\s+(?:any\s+)?files?\b", re.I
        ),
        re.compile(r"^Bash(?:\(rm[^)]*\)|\(\*\))?$"),
        "deleting files",
    ),
)


COMMENT_KEYS = frozenset({"_comment", "comment", "//", "description", "_note", "note", "$comment"})
"""Keys whose text is commentary: AIM513 checks them, the prose rules do not."""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def walk_strings(value: Any, keys: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk_strings(v, (*keys, str(k)))
    elif isinstance(value, list):
        for v in value:
            yield from walk_strings(v, keys)
    elif isinstance(value, str):
        yield keys, value


def comment_field_hits(data: Any, text: str) -> Iterator[Hit]:
    """AIM513: instructions for the model inside `_comment`, `description` and similar fields."""
    cursor = 0
    for keys, value in walk_strings(data):
        if not keys or keys[-1].lower() not in COMMENT_KEYS:
            continue
        found = signals(value)
        if found:
            line, pos = key_line(text, keys[-1], after=cursor)
            cursor = pos + 1
            yield Hit(
                "AIM513",
                line,
                f"{keys[-1]!r} field carries instructions for the model ({', '.join(found)})",
                match=value,
                evidence=shorten(value),
            )


def secret_hits(data: Any, text: str) -> Iterator[Hit]:
    """AIM502: literal keys anywhere in a settings file (env blocks, helpers, hooks)."""
    from aims.secrets import find_keys

    seen: set[str] = set()
    for keys, value in walk_strings(data):
        if keys[:1] in (
            ("mcpServers",),
            ("servers",),
            ("context_servers",),
            ("mcp_servers",),
            ("mcp",),
        ):
            continue  # MCP definitions are AIM401-AIM404
        name = keys[-1] if keys else ""
        found = find_keys(value)
        secret = (
            (found[0].evidence, found[0].keyed_hash)
            if found
            else literal_secret(name, value)
            if keys[:1] == ("env",)
            else None
        )
        if secret and secret[1] not in seen:
            seen.add(secret[1])
            yield Hit(
                "AIM502",
                value_line(text, value[:10]),
                f"literal secret in agent settings ({'.'.join(keys) or 'value'})",
                match=secret[1],
                evidence=secret[0],
            )


def claude_settings_hits(data: Any, text: str) -> Iterator[Hit]:
    """Claude Code `settings.json`: permissions, modes, hooks, env redirections, helpers."""
    if not isinstance(data, dict):
        return
    perms = _dict(data.get("permissions"))
    allow = (
        [a for a in perms.get("allow", []) if isinstance(a, str)]
        if isinstance(perms.get("allow"), list)
        else []
    )
    for entry in allow:
        line = value_line(text, f'"{entry}"')
        if re.fullmatch(r"Bash(?:\(\s*(?:\*+|:\*|\*:\*)\s*\))?", entry.strip()):
            yield Hit(
                "AIM534",
                line,
                f"permission {entry!r} lets the agent run any shell command unasked",
                match=entry,
            )
        if entry.startswith("mcp__") and "*" in entry:
            yield Hit(
                "AIM535",
                line,
                f"permission {entry!r} pre-approves every MCP tool it matches",
                match=entry,
            )
    if perms.get("defaultMode") == "bypassPermissions":
        yield Hit(
            "AIM536",
            key_line(text, "defaultMode")[0],
            "defaultMode bypassPermissions skips every permission prompt",
            match="bypassPermissions",
        )
    if data.get("enableAllProjectMcpServers") is True:
        yield Hit(
            "AIM537",
            key_line(text, "enableAllProjectMcpServers")[0],
            "enableAllProjectMcpServers starts every server any .mcp.json in the project names",
            match="enableAllProjectMcpServers",
        )
    for bucket in ("deny", "ask"):
        entries = perms.get(bucket)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, str):
                continue
            problem = ineffective_rule(entry)
            if problem:
                yield Hit(
                    "AIM541",
                    value_line(text, f'"{entry}"'),
                    f"{bucket} rule {entry!r} has no effect: {problem}",
                    match=entry,
                )
    hooks = data.get("hooks")
    if isinstance(hooks, dict):
        for command in _hook_commands(hooks):
            yield from command_hook_hits(command, text)
    env = _dict(data.get("env"))
    official = load_knowledge().official_api_hosts
    for name, value in env.items():
        if isinstance(value, str) and _BASE_URL_VARS.match(str(name)):
            host = cmd.url_host(value)
            if host and not host_in(host, official) and host not in ("localhost", "127.0.0.1"):
                yield Hit(
                    "AIM544",
                    key_line(text, str(name))[0],
                    f"{name} sends every prompt and key to {host}",
                    match=f"{name}={host}",
                    evidence=f"{name}={host}",
                )
    helper = data.get("apiKeyHelper")
    if isinstance(helper, str) and re.search(
        r"\b(?:curl|wget|http|nc|Invoke-WebRequest|iwr)\b|https?://", helper
    ):
        yield Hit(
            "AIM545",
            key_line(text, "apiKeyHelper")[0],
            "apiKeyHelper fetches the API key over the network",
            match=helper,
            evidence=shorten(re.sub(r"(?i)(token|key|secret)=\S+", r"\1=…", helper)),
        )


def ineffective_rule(entry: str) -> str:
    """Why a Claude Code permission rule matches nothing ('' when it is well-formed)."""
    m = _RULE.match(entry.strip())
    if not m:
        return "not `Tool` or `Tool(specifier)` (unbalanced parentheses or stray text)"
    tool, spec = m.group("tool"), m.group("spec")
    if tool.startswith("mcp__"):
        return ""
    if tool not in CLAUDE_TOOLS:
        lowered = {t.lower(): t for t in CLAUDE_TOOLS}
        if tool.lower() in lowered:
            return f"tool names are case-sensitive: write {lowered[tool.lower()]!r}"
        return f"{tool!r} is not a Claude Code tool"
    if tool == "WebFetch" and spec is not None and not spec.startswith("domain:"):
        return "WebFetch rules take `domain:<host>`"
    if tool == "Bash" and spec is not None and re.search(r"\.\*|\\s|\^|\$$", spec):
        return "Bash rules are prefix or glob matches, not regular expressions"
    return ""


def _hook_commands(hooks: dict[str, Any]) -> Iterator[str]:
    for groups in hooks.values():
        if not isinstance(groups, list):
            continue
        for group in groups:
            inner = group.get("hooks") if isinstance(group, dict) else None
            for hook in inner if isinstance(inner, list) else []:
                if isinstance(hook, dict) and isinstance(hook.get("command"), str):
                    yield hook["command"]


def command_hook_hits(command: str, text: str) -> Iterator[Hit]:
    """AIM542/AIM543: a hook that runs remote code or sends data to a remote host."""
    line = value_line(text, command[:30])
    if cmd.PIPE_TO_SHELL.search(command) or re.search(
        r"\b(?:bash|sh|python3?|node)\s+<\(\s*(?:curl|wget)", command
    ):
        yield Hit(
            "AIM542",
            line,
            "hook downloads and runs a remote script on every trigger",
            match=command,
            evidence=shorten(command),
        )
    elif cmd.POSTS_DATA.search(command) and cmd.URL.search(command):
        host = cmd.url_host(cmd.URL.search(command).group())  # type: ignore[union-attr]
        local = host in ("localhost", "127.0.0.1")
        if not local:
            yield Hit(
                "AIM543",
                line,
                f"hook sends data (prompts, tool input) to {host or 'a remote host'}",
                match=command,
                evidence=shorten(command),
            )


def gemini_settings_hits(data: Any, text: str) -> Iterator[Hit]:
    """Gemini CLI settings: YOLO approval mode and auto-accept."""
    if not isinstance(data, dict):
        return
    tools = _dict(data.get("tools"))
    general = _dict(data.get("general"))
    for holder, key in ((data, "autoAccept"), (tools, "autoAccept"), (data, "yolo")):
        if holder.get(key) is True:
            yield Hit(
                "AIM540",
                key_line(text, key)[0],
                f"Gemini CLI {key}: true runs tool calls without confirmation",
                match=f"gemini:{key}",
            )
    for holder in (data, general, tools):
        mode = holder.get("approvalMode") or holder.get("defaultApprovalMode")
        if isinstance(mode, str) and mode.lower() == "yolo":
            yield Hit(
                "AIM540",
                key_line(text, "pprovalMode")[0],
                "Gemini CLI approval mode yolo approves every tool call",
                match="gemini:yolo",
            )


def codex_hits(data: Any, text: str) -> Iterator[Hit]:
    """Codex `config.toml`: sandbox off and approvals off."""
    if not isinstance(data, dict):
        return
    tables = [data, *[v for v in (data.get("profiles") or {}).values() if isinstance(v, dict)]]
    cursor = 0
    for table in tables:
        if table.get("sandbox_mode") == "danger-full-access":
            line, cursor = key_line(text, "sandbox_mode", after=cursor)
            cursor += 1
            yield Hit(
                "AIM546",
                line,
                "sandbox_mode danger-full-access gives the agent the whole machine and the network",
                match="danger-full-access",
            )
        if table.get("approval_policy") == "never":
            line, pos = key_line(text, "approval_policy")
            yield Hit(
                "AIM540",
                line,
                "approval_policy never runs every command without asking",
                match="codex:never",
            )


def aider_hits(data: Any, text: str) -> Iterator[Hit]:
    """Aider `.aider.conf.yml`: `yes-always`."""
    if isinstance(data, dict) and data.get("yes-always") is True:
        yield Hit(
            "AIM540",
            key_line(text, "yes-always")[0],
            "yes-always: true confirms every prompt, including shell commands",
            match="aider:yes-always",
        )


def frontmatter(text: str) -> tuple[dict[str, Any], int]:
    """The YAML front matter of a Markdown file and the line it starts on (empty when none)."""
    if not text.startswith("---"):
        return {}, 0
    end = text.find("\n---", 3)
    if end < 0:
        return {}, 0
    try:
        data = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return {}, 0
    return (data if isinstance(data, dict) else {}), 1


def frontmatter_hits(text: str, *, kind: str) -> Iterator[Hit]:
    """AIM539: skills, subagents and commands whose `allowed-tools`/`tools` grant bare Bash."""
    data, _ = frontmatter(text)
    for key in ("allowed-tools", "allowed_tools", "tools"):
        value = data.get(key)
        items = (
            value
            if isinstance(value, list)
            else re.split(r",\s*|\s+(?![^()]*\))", value)
            if isinstance(value, str)
            else []
        )
        for item in items:
            if isinstance(item, str) and re.fullmatch(
                r"Bash(?:\(\s*(?:\*+|:\*)\s*\))?", item.strip()
            ):
                yield Hit(
                    "AIM539",
                    key_line(text, key)[0],
                    f"{kind} front matter {key} grants unrestricted Bash",
                    match=f"{kind}:{item}",
                )
                return


def prose_bans(text: str) -> list[tuple[int, str, re.Pattern[str]]]:
    """(line, what, allow-pattern) of every prohibition in instruction prose that a permission can contradict."""
    out: list[tuple[int, str, re.Pattern[str]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        for ban, allow, what in _PROSE_BANS:
            if ban.search(line):
                out.append((number, what, allow))
    return out


def allowed_entries(data: Any) -> list[str]:
    """Claude Code `permissions.allow` entries plus `Bash` when the mode bypasses prompts."""
    if not isinstance(data, dict) or not isinstance(data.get("permissions"), dict):
        return []
    perms = data["permissions"]
    entries = (
        [a for a in perms.get("allow", []) if isinstance(a, str)]
        if isinstance(perms.get("allow"), list)
        else []
    )
    if perms.get("defaultMode") == "bypassPermissions":
        entries.append("Bash")
    return entries
