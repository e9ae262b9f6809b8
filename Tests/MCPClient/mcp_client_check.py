"""Drives `spotlog mcp-serve` with the official MCP Python SDK and prints what it saw as JSON.

Usage: mcp_client_check.py SPOTLOG_BINARY CALLS_JSON ENV_JSON

CALLS_JSON is a list of {"tool": name, "arguments": {...}}. For each connection mode ("legacy":
the initialize handshake; "auto": server/discover first, the stateless 2026-07-28 revision) the
script lists every tool (following cursors), makes every call, and records the negotiated
protocol version, the tool names with their schemas' presence, and each call's outcome
(structuredContent, or the error text). The Swift test compares the results with the CLI.
The SDK passes the server only a few environment variables, so ENV_JSON (SPOTLOG_DB, ...) goes
through `env=`.
"""

import asyncio
import json
import sys

from mcp import StdioServerParameters
from mcp.client import Client


async def session(mode, binary, calls, env):
    server = StdioServerParameters(command=binary, args=["mcp-serve"], env=env)
    async with Client(server, mode=mode) as client:
        tools, cursor, pages = [], None, 0
        while True:
            page = await client.list_tools(cursor=cursor)
            pages += 1
            tools += page.tools
            cursor = page.next_cursor
            if cursor is None:
                break
        outcomes = []
        for call in calls:
            result = await client.call_tool(call["tool"], call["arguments"])
            text = result.content[0].text if result.content else None
            outcomes.append({
                "tool": call["tool"],
                "is_error": bool(result.is_error),
                "structured": result.structured_content,
                "text": text,
            })
        return {
            "protocol_version": client.protocol_version,
            "pages": pages,
            "tools": [
                {
                    "name": tool.name,
                    "has_output_schema": tool.output_schema is not None,
                    "read_only": tool.annotations.read_only_hint if tool.annotations else None,
                    "open_world": tool.annotations.open_world_hint if tool.annotations else None,
                }
                for tool in tools
            ],
            "calls": outcomes,
        }


async def main():
    binary, calls, env = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    report = {}
    for mode in ("legacy", "auto"):
        report[mode] = await session(mode, binary, calls, env)
    print(json.dumps(report))


asyncio.run(main())
