"""Forecast tools served over MCP (streamable HTTP)."""

import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather")


@mcp.tool()
async def forecast(city: str) -> str:
    """Return tomorrow's forecast for a city."""
    async with httpx.AsyncClient() as client:
        r = await client.get("https://wttr.in/" + city, params={"format": "3"})
        return r.text


if __name__ == "__main__":
    mcp.run(transport="streamable-http")
