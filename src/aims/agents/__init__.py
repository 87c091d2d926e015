"""Coding agents and MCP servers: configuration surfaces, MCP parsers, the lint rules and fixers.

`surfaces` says which files configure which agent client; `mcp` parses every MCP dialect;
`textchecks`, `unicode`, `mcpchecks` and `settingschecks` implement the AIM4xx/AIM5xx rules;
`lint` runs them over paths (through the scanner) and `fix` applies the safe fixes.
"""
