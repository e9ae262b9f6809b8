import Foundation

/// One MCP tool, declared once: `spotlog mcp-call` and `spotlog mcp-serve` list and call the same
/// value. Its input schema is generated from its parameters (the same declarations the CLI's
/// options use), its output schema is the schema of the document it returns.
public struct Tool: Sendable {
    public let name: String
    public let title: String
    public let description: String
    public let parameters: [QueryParameter]
    public let outputSchema: DocumentSchema
    /// The tool talks to the outside world (the Spotify Web API). No tool changes anything an
    /// assistant could see (MCP's `readOnlyHint` is true for all).
    public let openWorld: Bool
    let handler: @Sendable (QueryArguments, ToolContext) throws -> JSONValue

    init(name: String, title: String, description: String, parameters: [QueryParameter], outputSchema: DocumentSchema,
         openWorld: Bool = false,
         handler: @escaping @Sendable (QueryArguments, ToolContext) throws -> JSONValue) {
        self.name = name
        self.title = title
        self.description = description
        self.parameters = parameters
        self.outputSchema = outputSchema
        self.openWorld = openWorld
        self.handler = handler
    }

    /// Calls the tool with `arguments` (a JSON object, or `null` for none). Invalid arguments throw
    /// a usage error naming the rule; anything else the tool fails with is thrown as it is.
    public func call(_ arguments: JSONValue, context: ToolContext) throws -> JSONValue {
        try handler(try Self.arguments(arguments, for: parameters), context)
    }

    /// The input JSON Schema: one property per parameter, with its type, bounds, choices and default.
    public var inputSchema: JSONValue {
        .object([
            "type": "object",
            "properties": .object(parameters.map { .init($0.toolName, Self.schema(of: $0)) }),
            "required": .array(parameters.filter(\.isRequired).map { .string($0.toolName) }),
            "additionalProperties": false,
        ])
    }

    static func schema(of parameter: QueryParameter) -> JSONValue {
        var members: [JSONValue.Member] = []
        var help = parameter.help
        switch parameter.kind {
        case .flag: members.append(.init("type", "boolean"))
        case .integer(let minimum, let maximum):
            members += [.init("type", "integer"), .init("minimum", .int(minimum)), .init("maximum", .int(maximum))]
        case .choice(let values): members += [.init("type", "string"), .init("enum", .array(values.map(JSONValue.string)))]
        case .date: members += [.init("type", "string"), .init("format", "date")]
        case .duration:
            members.append(.init("type", "string"))
            help += " (a duration such as 30s, 5m, 2h or 7d)"
        case .text, .path, .timeZone, .period: members.append(.init("type", "string"))
        }
        members.append(.init("description", .string(help)))
        if let value = parameter.defaultValue {
            if case .integer = parameter.kind, let number = Int(value) {
                members.append(.init("default", .int(number)))
            } else {
                members.append(.init("default", .string(value)))
            }
        }
        return .object(members)
    }

    /// The JSON arguments as validated parameter values; JSON types must match the schema.
    static func arguments(_ json: JSONValue, for parameters: [QueryParameter]) throws -> QueryArguments {
        let members: [JSONValue.Member]
        switch json {
        case .null: members = []
        case .object(let given): members = given
        default: throw SpotlogError.usage("arguments must be a JSON object")
        }
        var values: [String: String] = [:]
        for member in members {
            guard let parameter = parameters.first(where: { $0.toolName == member.key }) else {
                let names = parameters.map(\.toolName)
                let hint = Suggestions.closest(to: member.key, among: names).map { "; did you mean '\($0)'?" }
                    ?? " (arguments: \(names.joined(separator: ", ")))"
                throw SpotlogError.usage("unknown argument '\(member.key)'\(hint)")
            }
            switch (parameter.kind, member.value) {
            case (_, .null): continue
            case (.integer, .int(let number)): values[parameter.name] = String(number)
            case (.integer, _): throw SpotlogError.usage("'\(member.key)' must be an integer")
            case (.flag, .bool(let flag)): if flag { values[parameter.name] = "" }
            case (.flag, _): throw SpotlogError.usage("'\(member.key)' must be true or false")
            case (_, .string(let text)): values[parameter.name] = text
            default: throw SpotlogError.usage("'\(member.key)' must be a string")
            }
        }
        return try QueryArguments(values, parameters: parameters) { "'\($0.toolName)'" }
    }
}

/// What tools run against: the database (opened on first use, read-only unless a tool must write),
/// the environment (Spotify configuration, `SPOTLOG_NOW`) and "now".
public final class ToolContext {
    public let databasePath: String
    public let environment: [String: String]
    private var opened: [DatabaseAccess: SpotlogDatabase] = [:]

    public init(databasePath: String, environment: [String: String]) {
        self.databasePath = databasePath
        self.environment = environment
    }

    /// A context over a database that is already open (in memory, in tests), for every access.
    public init(database: SpotlogDatabase, environment: [String: String]) {
        databasePath = database.path ?? ":memory:"
        self.environment = environment
        opened = [.readOnly: database, .readWrite: database]
    }

    /// The database, opened once per access mode.
    public func database(_ access: DatabaseAccess) throws -> SpotlogDatabase {
        if let database = opened[access] { return database }
        let database = try SpotlogDatabase.open(path: databasePath, access: access)
        opened[access] = database
        return database
    }

    /// "Now" for relative periods: `SPOTLOG_NOW` when set.
    public func now() throws -> EpochMillis { try HistoryParameters.now(environment) }
}
