/// `spotlog mcp-serve`: serve spotlog's tools to AI assistants over MCP (stdio).
enum McpServeCommand {
    static let spec = CommandTable.pending("mcp-serve", summary: "serve spotlog's tools to AI assistants over MCP (stdio)")
}
