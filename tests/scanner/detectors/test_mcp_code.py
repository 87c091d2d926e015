"""MCP servers implemented in the repository's own code, per language and SDK."""

from __future__ import annotations

import pytest

from aims.catalog import load_catalog
from aims.inventory import Component
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.mcp_code import MCPCodeDetector, language_of


def _detect(relpath: str, text: str) -> list[Component]:
    file = ScanFile(relpath=relpath, abspath=relpath, data=text.encode(), size=len(text))
    return MCPCodeDetector().detect(file, DetectContext(catalog=load_catalog())).components


def _summary(components: list[Component]) -> list[tuple[str, str | None, str, int | None]]:
    return [(c.name, c.category, str(c.properties["sdk"]), c.evidence[0].line) for c in components]


TS_SERVER = """\
#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

// new McpServer({ name: "commented-out" }) must not count
const server = new McpServer({
  name: "Release Notes Server",
  version: "0.1.0",
});

server.tool("draft", { pr: z.number() }, async ({ pr }) => ({ content: [] }));
await server.connect(new StdioServerTransport());
"""


def test_typescript_server_with_its_name_and_transport() -> None:
    (server,) = _detect("src/mcp/notes-server.ts", TS_SERVER)
    assert _summary([server]) == [("Release Notes Server", "stdio", "typescript-sdk", 7)]
    assert server.properties["defined_in"] == "code"
    assert server.properties["file"] == "src/mcp/notes-server.ts"


def test_typescript_low_level_server_needs_the_sdk_import() -> None:
    low_level = (
        'import { Server } from "@modelcontextprotocol/sdk/server/index.js";\n'
        'import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";\n'
        'const server = new Server({ name: "legacy", version: "1.0.0" }, { capabilities: {} });\n'
    )
    assert _summary(_detect("server.ts", low_level)) == [("legacy", "sse", "typescript-sdk", 3)]
    socket = 'import { Server } from "socket.io";\nconst io = new Server({ name: "chat" });\n'
    assert _detect("server.ts", socket) == []


PY_FASTMCP = '''\
"""Weather tools for agents."""
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather")


@mcp.tool()
def forecast(city: str) -> str:
    return "sunny"


if __name__ == "__main__":
    mcp.run(transport="streamable-http")
'''


def test_python_fastmcp_and_low_level_server() -> None:
    assert _summary(_detect("weather/server.py", PY_FASTMCP)) == [
        ("weather", "http", "python-mcp", 4)
    ]
    standalone = "from fastmcp import FastMCP\n\napp = FastMCP(name='notes')\napp.run()\n"
    assert _summary(_detect("notes.py", standalone)) == [("notes", None, "fastmcp", 3)]
    low_level = (
        "from mcp.server import Server\nfrom mcp.server.stdio import stdio_server\n"
        'server = Server("files")\n'
    )
    assert _summary(_detect("files.py", low_level)) == [("files", "stdio", "python-mcp", 3)]


def test_python_without_the_sdk_or_in_strings_is_not_a_server() -> None:
    uvicorn = (
        "import uvicorn\nfrom mcp.server.fastmcp import Context\nserver = uvicorn.Server(cfg)\n"
    )
    assert _detect("app.py", uvicorn) == []
    prose = 'HELP = "use FastMCP(\\"x\\") to build one"\n'
    assert _detect("doc.py", "from fastmcp import FastMCP\n" + prose) == []


def test_go_servers_of_both_sdks() -> None:
    mark3labs = """\
package main

import (
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("Calculator", "1.0.0", server.WithToolCapabilities(false))
	server.ServeStdio(s)
}
"""
    official = """\
package main

import "github.com/modelcontextprotocol/go-sdk/mcp"

func main() {
	server := mcp.NewServer(&mcp.Implementation{Name: "greeter", Version: "v1"}, nil)
	_ = server
}
"""
    assert _summary(_detect("cmd/calc/main.go", mark3labs)) == [
        ("Calculator", "stdio", "mcp-go", 8)
    ]
    assert _summary(_detect("main.go", official)) == [("greeter", None, "go-sdk", 6)]


def test_java_and_csharp_servers() -> None:
    java = """\
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;

class Main {
    McpSyncServer server = McpServer.sync(transport)
        .serverInfo("inventory-server", "1.0.0")
        .build();
}
"""
    assert _summary(_detect("src/main/java/Main.java", java)) == [
        ("inventory-server", None, "java-sdk", 5)
    ]
    csharp = """\
using ModelContextProtocol.Server;

var builder = Host.CreateApplicationBuilder(args);
builder.Services
    .AddMcpServer()
    .WithStdioServerTransport()
    .WithToolsFromAssembly();
"""
    (server,) = _detect("src/TimeServer/Program.cs", csharp)
    assert _summary([server]) == [("TimeServer", "stdio", "csharp-sdk", 5)]
    assert server.properties["name_from"] == "path"


@pytest.mark.parametrize(
    ("name", "wanted"),
    [("server.py", True), ("server.ts", True), ("main.go", True), ("Program.cs", True),
     ("Main.kt", True), ("App.vue", False), ("lib.rs", False), ("README.md", False)],
)  # fmt: skip
def test_which_files_are_read(name: str, wanted: bool) -> None:
    assert (language_of(name) is not None) is wanted
