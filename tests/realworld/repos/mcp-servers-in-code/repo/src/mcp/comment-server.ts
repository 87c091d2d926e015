#!/usr/bin/env node
// Exposes the review comment API to the agent as MCP tools.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({
  name: "Review Comment Server",
  version: "0.0.1",
});

server.tool(
  "update_comment",
  { body: z.string() },
  async ({ body }) => ({ content: [{ type: "text", text: body }] }),
);

await server.connect(new StdioServerTransport());
