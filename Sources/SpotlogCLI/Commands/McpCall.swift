/// `spotlog mcp-call`: call one of spotlog's MCP tools from the command line.
enum McpCallCommand {
    static let spec = CommandTable.pending("mcp-call", summary: "call one of spotlog's MCP tools from the command line")
}
