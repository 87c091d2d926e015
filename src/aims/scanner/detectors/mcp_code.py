"""MCP servers a repository implements in code: the official SDKs' server constructors in
Python, TypeScript/JavaScript, Go, Java/Kotlin and C#, and FastMCP."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aims.inventory import Component, ComponentType, Evidence
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "mcp-code"

# A quoted string literal (single, double or back quotes), captured without its quotes.
_STR = (
    r"""(?:"(?P<{g}>[^"\n]{{1,100}})"|'(?P<{g}2>[^'\n]{{1,100}})'|`(?P<{g}3>[^`$\n]{{1,100}})`)"""
)


@dataclass(frozen=True)
class _Sdk:
    """One MCP server SDK: how a file shows it uses it, and how a server is constructed."""

    id: str
    languages: frozenset[str]
    imported: re.Pattern[str]
    """Must match somewhere in the file: the SDK's server module is imported."""
    constructor: re.Pattern[str]
    """Where a server is built; the name follows within the call."""


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.MULTILINE)


SDKS: tuple[_Sdk, ...] = (
    _Sdk(
        "python-mcp",
        frozenset({_source.PYTHON}),
        _rx(r"^\s*(?:from\s+mcp\.server(?:\.[\w.]+)?\s+import\b|import\s+mcp\.server\b)"),
        _rx(r"\b(?:FastMCP|MCPServer)\s*\("),
    ),
    _Sdk(
        "python-mcp",
        frozenset({_source.PYTHON}),
        _rx(
            r"^\s*from\s+mcp\.server(?:\.lowlevel)?\s+import\s+(?:\(\s*)?(?:[\w\s,]*,\s*)?Server\b"
        ),
        _rx(r"(?<![.\w])Server\s*\("),
    ),
    _Sdk(
        "fastmcp",
        frozenset({_source.PYTHON}),
        _rx(r"^\s*(?:from\s+fastmcp(?:\.[\w.]+)?\s+import\b|import\s+fastmcp\b)"),
        _rx(r"\bFastMCP\s*\("),
    ),
    _Sdk(
        "typescript-sdk",
        frozenset({_source.JAVASCRIPT}),
        _rx(r"""["']@modelcontextprotocol/sdk/server(?:/[\w./-]*)?["']"""),
        _rx(r"\bnew\s+McpServer\s*\("),
    ),
    _Sdk(
        "typescript-sdk",
        frozenset({_source.JAVASCRIPT}),
        _rx(r"""["']@modelcontextprotocol/sdk/server/index(?:\.js)?["']"""),
        _rx(r"\bnew\s+Server\s*\("),
    ),
    _Sdk(
        "fastmcp-ts",
        frozenset({_source.JAVASCRIPT}),
        _rx(r"""["']fastmcp["']"""),
        _rx(r"\bnew\s+FastMCP\s*\("),
    ),
    _Sdk(
        "go-sdk",
        frozenset({_source.GO}),
        _rx(r'"github\.com/modelcontextprotocol/go-sdk/mcp"'),
        _rx(r"\bmcp\.NewServer\s*\("),
    ),
    _Sdk(
        "mcp-go",
        frozenset({_source.GO}),
        _rx(r'"github\.com/mark3labs/mcp-go/server"'),
        _rx(r"\bserver\.NewMCPServer\s*\("),
    ),
    _Sdk(
        "java-sdk",
        frozenset({_source.JAVA}),
        _rx(r"^\s*import\s+io\.modelcontextprotocol\.server\."),
        _rx(r"\bMcpServer\s*\.\s*(?:sync|async)\s*\("),
    ),
    _Sdk(
        "csharp-sdk",
        frozenset({_source.CSHARP}),
        _rx(r"^\s*using\s+ModelContextProtocol(?:\.Server)?\s*;"),
        _rx(r"\.AddMcpServer\s*\("),
    ),
)

# The server's name, searched in the call that builds it: a `name` field or keyword argument
# (`name: "x"`, `name="x"`, `Name = "x"`, `Name: "x"`), Java's `.serverInfo("x", ...)`, or
# the call's first argument when it is a string (`FastMCP("x")`, `NewMCPServer("x", ...)`).
_NAMED = re.compile(r"\b[Nn]ame\s*[:=]\s*" + _STR.format(g="n"))
_SERVER_INFO = re.compile(r"\.serverInfo\s*\(\s*" + _STR.format(g="n"))
_FIRST_ARG = re.compile(r"\A\s*" + _STR.format(g="n"))
_WINDOW = 400
_TRANSPORTS = (
    ("stdio", re.compile(r"stdio", re.IGNORECASE)),
    (
        "http",
        re.compile(
            r"streamable[-_]?http|StreamableHttp|HttpServerTransport|WithHttp|"
            r"transport\s*=\s*[\"'](?:http|streamable-http)[\"']|\.run_http|"
            r"MapMcp",
            re.IGNORECASE,
        ),
    ),  # fmt: skip
    (
        "sse",
        re.compile(
            r"\bSSE\w*Transport|sse_app|transport\s*=\s*[\"']sse[\"']|NewSSEServer", re.IGNORECASE
        ),
    ),  # fmt: skip
)
_LANGUAGES = frozenset({_source.PYTHON, _source.JAVASCRIPT, _source.GO, _source.JAVA,
                        _source.CSHARP})  # fmt: skip


def language_of(name: str) -> str | None:
    """The language whose MCP SDKs apply to a file name (as `_source` names it), or None."""
    language = _source.language_of(name)
    if language not in _LANGUAGES or name.lower().endswith(_source.COMPONENT_SUFFIXES):
        return None
    return language


def _name_in(call: str) -> str | None:
    for pattern in (_FIRST_ARG, _SERVER_INFO, _NAMED):
        m = pattern.search(call)
        if m is not None:
            value = m.group("n") or m.group("n2") or m.group("n3")
            if value and value.strip():
                return value.strip()
    return None


def _transport(text: str) -> str | None:
    found = [name for name, pattern in _TRANSPORTS if pattern.search(text)]
    return found[0] if len(found) == 1 else None


class MCPCodeDetector:
    """Finds MCP servers built with an MCP SDK in the repository's own source code."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """Source files of the languages with an MCP server SDK."""
        return language_of(name) is not None

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """The SDKs' module names: a file that imports none of them builds no server."""
        return [
            b"mcp.server",
            b"from fastmcp",
            b"import fastmcp",
            b"@modelcontextprotocol/sdk/server",
            b"'fastmcp'",
            b'"fastmcp"',
            b"modelcontextprotocol/go-sdk/mcp",
            b"mark3labs/mcp-go/server",
            b"io.modelcontextprotocol.server",
            b"using modelcontextprotocol",
        ]

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """One `mcp-server` component per server the file constructs."""
        result = DetectResult()
        language = language_of(file.name)
        if language is None:
            return result
        text = file.text
        masked = _source.mask(text, language)
        code = masked.code  # comments and string contents blanked: constructors in code only
        readable = masked.without_comments()  # string contents kept: imports and names
        lines = _source.LineIndex(text)
        seen: set[int] = set()
        for sdk in SDKS:
            if language not in sdk.languages or sdk.imported.search(readable) is None:
                continue
            for m in sdk.constructor.finditer(code):
                if m.start() in seen:
                    continue
                seen.add(m.start())
                call = readable[m.end() : m.end() + _WINDOW]
                line = lines.line_of(m.start())
                name = _name_in(call)
                result.components.append(
                    _component(
                        name=name or _fallback_name(file.relpath),
                        named=name is not None,
                        sdk=sdk.id,
                        language=language,
                        transport=_transport(readable),
                        evidence=Evidence(
                            path=file.relpath,
                            line=line,
                            detector=DETECTOR_NAME,
                            snippet=_source.snippet(lines.line_text(line)),
                        ),
                    )
                )
        return result


def _fallback_name(relpath: str) -> str:
    """A server built without a literal name is named after its folder (or file)."""
    parts = relpath.split("/")
    return parts[-2] if len(parts) > 1 else parts[-1].rsplit(".", 1)[0]


def _component(
    *, name: str, named: bool, sdk: str, language: str, transport: str | None, evidence: Evidence
) -> Component:
    props: dict[str, object] = {
        "server": name,
        "defined_in": "code",
        "sdk": sdk,
        "language": language,
        "file": evidence.path,
    }
    if not named:
        props["name_from"] = "path"
    if transport:
        props["transport"] = transport
    return Component(
        type=ComponentType.MCP_SERVER,
        name=name,
        category=transport,
        evidence=[evidence],
        properties=props,
    )
