import { Server } from "node:http";

// An ordinary HTTP server: not MCP.
export const health = new Server((_req, res) => res.end("ok"));
