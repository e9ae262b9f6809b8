import SpotlogCore

/// `spotlog mcp-serve`: serve spotlog's tools to AI assistants over MCP (stdio).
enum McpServeCommand {
    static let spec = CommandSpec(
        "mcp-serve", summary: "serve spotlog's tools to AI assistants over MCP (stdio)",
        discussion: """
            Speaks the Model Context Protocol as newline-delimited JSON-RPC 2.0 on standard input and output \
            (revisions 2024-11-05, 2025-03-26, 2025-06-18 and 2025-11-25 through initialize, and the stateless \
            2026-07-28 through server/discover). Logs go to standard error only. Exits when standard input closes. \
            The tools are those 'spotlog mcp-call --list' shows; give the database with --db or SPOTLOG_DB in the \
            client's configuration.
            """,
        examples: [.init("SPOTLOG_DB=~/music.db spotlog mcp-serve", "what an assistant's configuration runs")]
    ) { context in
        let server = MCPServer(context: ToolContext(databasePath: context.databasePath, environment: context.environment),
                               serverVersion: SpotlogVersion.current) { hint in
            hint == .chooseUser ? "; choose one with the 'user' argument" : ExitStatus.hintText(hint)
        }
        server.serve(nextLine: { readLine(strippingNewline: true) }, write: { line in try? context.console.out(line) })
    }
}
