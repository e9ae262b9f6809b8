import SpotlogCore

/// `spotlog mcp-call`: call one of spotlog's MCP tools from the command line, exactly as an
/// assistant would through `spotlog mcp-serve`.
enum McpCallCommand {
    static let list = OptionSpec("list", help: "list the tools (with --json: their input and output schemas)")
    static let args = OptionSpec("args", .text, placeholder: "JSON", help: "the tool's arguments as one JSON object")
    /// Checked against the registry when called (`ToolRegistry.tool(named:)`), so that the parser
    /// need not build every tool.
    static let tool = ArgumentSpec("TOOL", arity: .optional, completion: { .values(ToolRegistry.all.map(\.name)) },
                                   help: "the tool to call")
    static let pairs = ArgumentSpec("KEY=VALUE", arity: .zeroOrMore,
                                    help: "an argument (typed as the tool's input schema says)")

    static let spec = CommandSpec(
        "mcp-call", summary: "call one of spotlog's MCP tools from the command line",
        discussion: """
            Prints the tool's result (the same JSON document an assistant receives as structuredContent) on \
            standard output. Invalid arguments exit 64 naming the rule they break; a tool that fails exits 1 \
            with its message. The user comes from the 'user' argument, not --user.
            """,
        arguments: [tool, pairs], options: [list, args],
        examples: [
            .init("spotlog mcp-call --list", "the tools and what they do"),
            .init("spotlog mcp-call history.top_artists period=1y limit=5", "a tool with key=value arguments"),
            .init("spotlog mcp-call history.recent --args '{\"limit\": 3}'", "the same with a JSON object"),
        ]
    ) { context in
        let invocation = context.invocation
        if invocation.flag(list) {
            try context.emit(listing())
            return
        }
        guard let name = invocation.argument(tool) else {
            throw SpotlogError.usage("name a tool to call, or pass --list")
        }
        let chosen = try ToolRegistry.tool(named: name)
        let arguments = try McpCallCommand.arguments(json: invocation.string(args), pairs: invocation.arguments(pairs),
                                                     for: chosen)
        let toolContext = ToolContext(databasePath: context.databasePath, environment: context.environment)
        let result: JSONValue
        do {
            result = try chosen.call(arguments, context: toolContext)
        } catch {
            let failure = SpotlogError.from(error)
            // A tool's own failure is exit 1 whatever its cause; invalid arguments stay usage errors (64).
            throw failure.category == .usage ? failure : SpotlogError(.failure, failure.message, hint: failure.hint)
        }
        try context.console.out(result.serialized(pretty: true) + "\n")
    }

    /// The arguments from `--args` and `key=value` words (which win over `--args` for the same key);
    /// a word's value is typed by the tool's parameter: integers and flags as JSON numbers and
    /// booleans, anything else as a string.
    static func arguments(json: String?, pairs: [String], for tool: Tool) throws -> JSONValue {
        var members: [JSONValue.Member] = []
        if let json {
            guard case .object(let given)? = JSONValue.parse(json) else {
                throw SpotlogError.usage("--args must be a JSON object such as '{\"limit\": 5}'")
            }
            members = given
        }
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw SpotlogError.usage("expected KEY=VALUE, got '\(pair)'")
            }
            let key = String(pair[..<equals]), text = String(pair[pair.index(after: equals)...])
            let value: JSONValue
            switch tool.parameters.first(where: { $0.toolName == key })?.kind {
            case .integer?: value = Int64(text).map(JSONValue.int) ?? .string(text)
            case .flag?: value = text == "true" ? true : text == "false" ? false : .string(text)
            default: value = .string(text)
            }
            members.removeAll { $0.key == key }
            members.append(.init(key, value))
        }
        return .object(members)
    }

    /// The tools: a table of names and titles, or with `--json` the same descriptions `tools/list` gives.
    static func listing() -> CommandOutput {
        var table = TextTable([.init("tool"), .init("description", maxWidth: 90)])
        let items: [JSONValue] = ToolRegistry.all.map { tool in
            table.append([tool.name, tool.description])
            return .object([
                "name": .string(tool.name), "title": .string(tool.title), "description": .string(tool.description),
                "input_schema": tool.inputSchema, "output_schema": tool.outputSchema.jsonSchema,
                "annotations": .object(["read_only": true, "open_world": .bool(tool.openWorld)]),
            ])
        }
        return CommandOutput(document: .object(["schema_version": 1, "tools": .array(items)]), items: items, table: table)
    }
}
