"""AIM4xx: MCP server definitions: secrets, supply chain, transport, scope, poisoning, trifecta."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from aims.agents import commands as cmd
from aims.agents.hits import Hit, shorten
from aims.agents.knowledge import host_in, load_knowledge
from aims.agents.mcp import MCPServer
from aims.agents.structured import key_line, value_line
from aims.secrets import find_keys
from aims.secrets.filters import has_decoy_word, is_word_like, shannon_entropy
from aims.secrets.fingerprint import describe, keyed_hash

_REF = re.compile(
    r"^\s*(?:\$\{?[A-Za-z_][\w:.-]*\}?|\{env:[\w.-]+\}|\$\{(?:env|input):[\w.-]+\})\s*$"
)
_KEYISH = re.compile(
    r"(?i)(?:secret|passw|pwd|token|credential|api[-_]?key|access[-_]?key|private[-_]?key|auth[-_]?key|"
    r"(?:^|[_-])key$|bearer|(?:^|[_-])pat$|authorization)"
)
_SECRET_LABEL = re.compile(r"(?i)\b(?:api[-_ ]?)?key\b|token|secret|passw|credential|\bpat\b")
_NOT_SECRET_NAME = re.compile(r"(?i)[_-](?:id|url|uri|path|file|mode|type|name|host|port|region)$")
_PLACEHOLDER = re.compile(r"(?i)change[-_]?me|replace[-_]?me|placeholder|dummy|sample|todo|<[^>]*>")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "host.docker.internal")
_POISON = re.compile(
    r"<(?:IMPORTANT|CRITICAL|SYSTEM)>|\b(?:before\s+using\s+this\s+tool|do\s+not\s+(?:tell|mention\s+this\s+to)\s+the\s+user|read\s+(?:the\s+file\s+)?~/\.(?:ssh|aws|cursor)|pass\s+its\s+content\s+as|sidenote|instead\s+of\s+the\s+(?:user|requested))",
    re.IGNORECASE,
)


def is_reference(value: str) -> bool:
    """True when a value is an environment or input reference rather than a literal."""
    return bool(_REF.match(value)) or value.strip() == ""


def literal_secret(name: str, value: str) -> tuple[str, str] | None:
    """(evidence, keyed hash) when `value` is a literal credential (never the value itself)."""
    if is_reference(value):
        return None
    keys = find_keys(value)
    if keys:
        k = keys[0]
        return k.evidence, k.keyed_hash
    bare = value.strip()
    if not _KEYISH.search(name) or _NOT_SECRET_NAME.search(name):
        return None
    if _PLACEHOLDER.search(bare) or is_word_like(bare):
        return None
    if len(bare) >= 16 and " " not in bare and not has_decoy_word(bare):
        if (
            not bare.startswith(("http://", "https://", "/", "./", "~"))
            and shannon_entropy(bare) >= 3.5
        ):
            return describe(bare), keyed_hash(bare)
    return None


def _capabilities(s: MCPServer) -> frozenset[str]:
    known = load_knowledge().mcp_packages
    pkg = known.get(s.package) or known.get(
        s.image.split("@")[0].rsplit(":", 1)[0] if s.image else ""
    )
    if pkg is not None:
        return pkg.capabilities
    if s.url and not _is_local(s.host):
        return frozenset({"untrusted", "egress"})
    lowered = f"{s.name} {s.package}".lower()
    caps: set[str] = set()
    if re.search(
        r"fetch|browser|puppeteer|playwright|web|search|scrape|crawl|github|slack|email|gmail|jira",
        lowered,
    ):
        caps |= {"untrusted"}
    if re.search(
        r"filesystem|\bfs\b|postgres|mysql|sqlite|database|\bdb\b|drive|notion|memory|secrets|vault",
        lowered,
    ):
        caps |= {"private"}
    if re.search(
        r"fetch|http|slack|email|gmail|webhook|github|browser|puppeteer|playwright", lowered
    ):
        caps |= {"egress"}
    return frozenset(caps)


def _is_local(host: str) -> bool:
    return host in _LOCAL_HOSTS or host.endswith(".localhost")


def _edit_distance(a: str, b: str) -> int:
    if abs(len(a) - len(b)) > 2:
        return 3
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def typosquat_of(package: str) -> str | None:
    """The well-known package a name imitates (edit distance 1-2 or a swapped scope), or None."""
    known = load_knowledge().mcp_packages
    if not package or package in known:
        return None
    low = package.lower()
    for name in known:
        target = name.lower()
        if low == target:
            return None
    for name in known:
        target = name.lower()
        if len(target) >= 8 and 0 < _edit_distance(low, target) <= 2:
            return name
        if "/" in target and "/" in low and low.split("/", 1)[1] == target.split("/", 1)[1]:
            if low.split("/", 1)[0] != target.split("/", 1)[0]:
                return name
    return None


def server_hits(s: MCPServer, text: str) -> Iterator[Hit]:
    """Every per-server AIM4xx hit."""
    after = s.offset
    for name, value in s.env.items():
        secret = literal_secret(name, value)
        if secret:
            line = key_line(text, name, after=after)[0]
            yield Hit(
                "AIM401",
                line,
                f"MCP server {s.name!r}: literal secret in env {name}",
                match=secret[1],
                evidence=f"{name}={secret[0]}",
                properties={"server": s.name, "env": name},
            )
        if re.fullmatch(
            r"NODE_TLS_REJECT_UNAUTHORIZED|PYTHONHTTPSVERIFY", name
        ) and value.strip() in ("0", "false"):
            line = key_line(text, name, after=after)[0]
            yield Hit(
                "AIM419",
                line,
                f"MCP server {s.name!r}: {name}={value} turns off TLS verification",
                match=f"{s.name}:{name}",
                properties={"server": s.name},
            )
    for i, arg in enumerate(s.args):
        prev = s.args[i - 1] if i else ""
        secret = None
        if "=" in arg and arg.startswith("-"):
            k, _, v = arg.partition("=")
            secret = literal_secret(k, v)
        elif prev.startswith("-"):
            secret = literal_secret(prev, arg)
        else:
            keys = find_keys(arg)
            secret = (keys[0].evidence, keys[0].keyed_hash) if keys else None
        if secret:
            yield Hit(
                "AIM402",
                value_line(text, arg[:12], after=after),
                f"MCP server {s.name!r}: secret passed on the command line",
                match=secret[1],
                evidence=secret[0],
                properties={"server": s.name},
            )
        if arg in ("--insecure", "-k", "--ignore-certificate-errors", "--no-verify-ssl"):
            yield Hit(
                "AIM419",
                value_line(text, arg, after=after),
                f"MCP server {s.name!r}: {arg} turns off TLS verification",
                match=f"{s.name}:{arg}",
                properties={"server": s.name},
            )
    for name, value in s.headers.items():
        bare = re.sub(r"^(?i:bearer|basic|token)\s+", "", value.strip())
        secret = literal_secret(name if _KEYISH.search(name) else f"{name}-token", bare)
        if secret:
            yield Hit(
                "AIM403",
                key_line(text, name, after=after)[0],
                f"MCP server {s.name!r}: literal credential in header {name}",
                match=secret[1],
                evidence=f"{name}: {secret[0]}",
                properties={"server": s.name},
            )
    if s.url:
        yield from _url_hits(s, text)
    if s.ecosystem in ("npm", "pypi") and s.package:
        floating = s.version.lower() in ("latest", "next", "canary", "beta") or (
            s.version[:1] in "^~><*" and s.version != ""
        )
        line = value_line(text, s.package, after=after)
        if floating:
            yield Hit(
                "AIM406",
                line,
                f"MCP server {s.name!r}: {s.package}@{s.version} floats to whatever is published next",
                match=f"{s.package}@{s.version}",
                properties={"server": s.name, "package": s.package},
            )
        elif not s.pinned:
            yield Hit(
                "AIM405",
                line,
                f"MCP server {s.name!r}: {s.package} runs without a pinned version ({s.command} installs the newest release on every start)",
                match=s.package,
                properties={"server": s.name, "package": s.package},
            )
    if s.image and not s.pinned:
        yield Hit(
            "AIM407",
            value_line(text, s.image, after=after),
            f"MCP server {s.name!r}: image {s.image} is not pinned by digest",
            match=s.image,
            properties={"server": s.name},
        )
    if s.git_source and not s.pinned:
        yield Hit(
            "AIM408",
            value_line(text, s.git_source[:20], after=after),
            f"MCP server {s.name!r}: installed from git without a commit SHA",
            match=s.git_source,
            properties={"server": s.name},
        )
    squat = typosquat_of(s.package)
    if squat:
        yield Hit(
            "AIM409",
            value_line(text, s.package, after=after),
            f"MCP server {s.name!r}: package {s.package!r} looks like a typosquat of {squat!r}",
            match=s.package,
            properties={"server": s.name, "imitates": squat},
        )
    yield from _scope_hits(s, text)
    yield from privileged_hits(s, text)


def _url_hits(s: MCPServer, text: str) -> Iterator[Hit]:
    host = s.host
    line = value_line(text, s.url[:24], after=s.offset)
    if (
        s.url.lower().startswith("http://")
        and host
        and not (host in _LOCAL_HOSTS or host.endswith(".localhost") or host == "0.0.0.0")
    ):
        yield Hit(
            "AIM410",
            line,
            f"MCP server {s.name!r}: remote server over plain HTTP ({host})",
            match=f"{s.name}:{host}",
            properties={"server": s.name, "host": host},
        )
    if host == "0.0.0.0":
        yield Hit(
            "AIM411",
            line,
            f"MCP server {s.name!r}: URL binds to 0.0.0.0",
            match=f"{s.name}:0.0.0.0",
            properties={"server": s.name},
        )
    from urllib.parse import parse_qsl, urlsplit

    try:
        parts = urlsplit(s.url)
        creds = parts.password or ""
        query = parse_qsl(parts.query)
    except ValueError:
        creds, query = "", []
    if creds and not is_reference(creds):
        yield Hit(
            "AIM404",
            line,
            f"MCP server {s.name!r}: password in the URL",
            match=keyed_hash(creds),
            evidence=s.safe_url,
            properties={"server": s.name},
        )
    for k, v in query:
        secret = literal_secret(k, v) if _KEYISH.search(k) else None
        if secret:
            yield Hit(
                "AIM404",
                line,
                f"MCP server {s.name!r}: credential in URL parameter {k}",
                match=secret[1],
                evidence=f"{s.safe_url}?{k}={secret[0]}",
                properties={"server": s.name},
            )
    if host and host_in(host, load_knowledge().exfil_hosts):
        yield Hit(
            "AIM418",
            line,
            f"MCP server {s.name!r}: URL on a tunnel or request-capture host ({host})",
            match=host,
            properties={"server": s.name},
        )


_ROOT_DIRS = re.compile(
    r"^(?:/|~|~/|\$HOME|\$\{HOME\}|%USERPROFILE%|[A-Za-z]:\\?|/home|/Users|/home/[^/]+/?|/Users/[^/]+/?|\$\{userHome\})$"
)


def _scope_hits(s: MCPServer, text: str) -> Iterator[Hit]:
    known = load_knowledge().mcp_packages
    pkg = known.get(s.package)
    is_fs = (
        bool(pkg and pkg.filesystem)
        or "filesystem" in s.package.lower()
        or s.name.lower() in ("filesystem", "fs")
    )
    if is_fs:
        for arg in s.args:
            if _ROOT_DIRS.match(arg.strip()) or re.search(r"(?:^|[:=])(?:/|~)$", arg.strip()):
                yield Hit(
                    "AIM413",
                    value_line(text, f'"{arg}"', after=s.offset),
                    f"MCP server {s.name!r}: filesystem server rooted at {arg}",
                    match=f"{s.name}:{arg}",
                    properties={"server": s.name},
                )
    for i, arg in enumerate(s.args):
        if (
            arg in ("--host", "--bind", "-H", "--listen")
            and i + 1 < len(s.args)
            and s.args[i + 1].startswith("0.0.0.0")
        ):
            yield Hit(
                "AIM411",
                value_line(text, "0.0.0.0", after=s.offset),
                f"MCP server {s.name!r}: listens on every interface",
                match=f"{s.name}:bind",
                properties={"server": s.name},
            )
        elif re.match(r"--(?:host|bind|listen)=0\.0\.0\.0", arg):
            yield Hit(
                "AIM411",
                value_line(text, arg, after=s.offset),
                f"MCP server {s.name!r}: listens on every interface",
                match=f"{s.name}:bind",
                properties={"server": s.name},
            )
    for key in ("HOST", "BIND", "MCP_HOST", "FASTMCP_HOST"):
        if s.env.get(key, "").startswith("0.0.0.0"):
            yield Hit(
                "AIM411",
                key_line(text, key, after=s.offset)[0],
                f"MCP server {s.name!r}: {key}=0.0.0.0 listens on every interface",
                match=f"{s.name}:bind",
                properties={"server": s.name},
            )
    for key in ("autoApprove", "alwaysAllow", "auto_approve"):
        value = s.raw.get(key)
        if value is True or (isinstance(value, list) and any(v in ("*", "all") for v in value)):
            yield Hit(
                "AIM416",
                key_line(text, key, after=s.offset)[0],
                f"MCP server {s.name!r}: {key} approves every tool call without asking",
                match=f"{s.name}:{key}",
                properties={"server": s.name},
            )
    if s.raw.get("trust") is True:
        yield Hit(
            "AIM416",
            key_line(text, "trust", after=s.offset)[0],
            f"MCP server {s.name!r}: trust: true skips every confirmation",
            match=f"{s.name}:trust",
            properties={"server": s.name},
        )
    base = re.split(r"[\\/]", s.command)[-1].lower()
    if base in ("sh", "bash", "zsh", "cmd", "cmd.exe", "powershell", "pwsh") and any(
        a in ("-c", "/c", "-Command", "-command") for a in s.args
    ):
        script = " ".join(s.args)
        danger = cmd.PIPE_TO_SHELL.search(script) or cmd.ENV_EXFIL.search(script)
        yield Hit(
            "AIM417",
            value_line(text, s.command, after=s.offset),
            f"MCP server {s.name!r}: launched through a shell string"
            + (" that downloads and runs code" if danger else ""),
            match=f"{s.name}:{script}",
            evidence=shorten(script),
            properties={"server": s.name},
        )
    for field_name in ("description", "instructions", "_comment", "comment", "note"):
        value = s.raw.get(field_name)
        if isinstance(value, str) and _POISON.search(value):
            yield Hit(
                "AIM414",
                key_line(text, field_name, after=s.offset)[0],
                f"MCP server {s.name!r}: {field_name} carries instructions for the model",
                match=value,
                evidence=shorten(value),
                properties={"server": s.name},
            )


def trifecta_hit(servers: list[MCPServer]) -> Hit | None:
    """AIM415 when one file gives an agent untrusted input, private data and a way out."""
    holders: dict[str, list[str]] = {"untrusted": [], "private": [], "egress": []}
    for s in servers:
        for cap in _capabilities(s):
            holders[cap].append(s.name)
    if all(holders.values()):
        first = min(servers, key=lambda s: s.line)
        detail = "; ".join(f"{k}: {', '.join(sorted(set(v)))}" for k, v in holders.items())
        return Hit(
            "AIM415",
            first.line,
            f"lethal trifecta in one configuration ({detail})",
            match=",".join(sorted(s.name for s in servers)),
            properties={"capabilities": {k: sorted(set(v)) for k, v in holders.items()}},
        )
    return None


def tool_description_hits(data: Any, text: str) -> Iterator[Hit]:
    """AIM414 in bundled manifests (MCPB/DXT `tools`, registry `server.json` descriptions)."""
    if not isinstance(data, dict):
        return
    tools = data.get("tools")
    cursor = 0
    if isinstance(tools, list):
        for tool in tools:
            if isinstance(tool, dict) and isinstance(tool.get("description"), str):
                desc = tool["description"]
                line, pos = key_line(text, "description", after=cursor)
                cursor = pos + 1
                if _POISON.search(desc) or _has_injection(desc):
                    yield Hit(
                        "AIM414",
                        line,
                        f"tool {tool.get('name', '?')!r}: description carries instructions for the model",
                        match=desc,
                        evidence=shorten(desc),
                    )


def _has_injection(text: str) -> bool:
    from aims.agents.textchecks import signals

    return bool(signals(text))


def input_hits(data: Any, text: str) -> Iterator[Hit]:
    """AIM420: VS Code `inputs` that prompt for a secret without `password: true`."""
    if not isinstance(data, dict) or not isinstance(data.get("inputs"), list):
        return
    for item in data["inputs"]:
        if not isinstance(item, dict):
            continue
        ident = str(item.get("id", ""))
        label = f"{ident} {item.get('description', '')}"
        if (
            item.get("type", "promptString") == "promptString"
            and _KEYISH.search(label)
            and item.get("password") is not True
        ):
            yield Hit(
                "AIM420",
                key_line(text, ident)[0] if ident else 1,
                f'input {ident!r} asks for a secret but echoes it (no "password": true)',
                match=ident,
            )


_DOCKER_PRIV = re.compile(
    r"^--privileged$|^--(?:network|net|pid|ipc|uts)(?:=|$)host$|^--cap-add(?:=|$)(?:ALL|SYS_ADMIN)$"
)
_MOUNT_PRIV = re.compile(
    r"^(?:/|~|\$HOME|\$\{HOME\}|/var/run/docker\.sock|/run/docker\.sock|/home/[^/:]+|/Users/[^/:]+)/?:"
)
_SERVER_PRIV = re.compile(r"^--(?:no-sandbox|allow-all|unsafe|dangerously[\w-]*)(?:=.*)?$")


def privileged_hits(s: MCPServer, text: str) -> Iterator[Hit]:
    """AIM412: container flags that give the host back, and sandbox-disabling server flags."""
    args = s.args
    pairs = [
        " ".join(args[i : i + 2]).replace(" ", "=", 1)
        if args[i] in ("--network", "--net", "--pid", "--ipc", "--uts", "--cap-add")
        else args[i]
        for i in range(len(args))
    ]
    for i, arg in enumerate(pairs):
        mount = (
            args[i + 1]
            if args[i] in ("-v", "--volume") and i + 1 < len(args)
            else (arg.split("=", 1)[1] if arg.startswith("--volume=") else "")
        )
        flag = ""
        if s.image and (_DOCKER_PRIV.match(arg) or (mount and _MOUNT_PRIV.match(mount))):
            flag = mount or arg
        elif _SERVER_PRIV.match(arg):
            flag = arg
        if flag:
            yield Hit(
                "AIM412",
                value_line(text, flag.split("=")[0] if not mount else mount, after=s.offset),
                f"MCP server {s.name!r}: {flag} gives it the host",
                match=f"{s.name}:{flag}",
                properties={"server": s.name},
            )
