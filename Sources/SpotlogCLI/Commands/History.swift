import Foundation
import SpotlogCore

/// `spotlog history <query>`: questions about the listening history, answered offline.
///
/// Each subcommand is a Core `HistoryQuery`: its options come from the query's parameters, its
/// `--json` is the query's document, and the CLI adds only the terminal rendering.
enum HistoryCommand {
    static let period = OptionSpec(HistoryParameters.period)
    static let from = OptionSpec(HistoryParameters.from)
    static let to = OptionSpec(HistoryParameters.to)
    static let zone = OptionSpec(HistoryParameters.zone, environment: EnvironmentVariable.timeZone.name)
    static let limit = OptionSpec(HistoryParameters.limit, short: "n")
    static let kind = OptionSpec(HistoryParameters.kind)
    static let minPlayed = OptionSpec(HistoryParameters.minPlayed)

    /// The options every history query takes, on the `history` group.
    static let groupOptions = [period, from, to, zone, limit, kind, minPlayed]

    static let spec = CommandSpec(
        "history", summary: "answer questions about your listening history",
        discussion: """
            Every query works offline on the local database. Periods, days, weekdays and hours are those of \
            --tz (DST-correct). A play counts when it lasted at least --min-played (30s by default, like \
            Spotify's own stream count). With --json every query prints an object with \
            \(HistoryHeader.schema.memberSummary), then the fields listed for each query. The same documents are the \
            results of the history.* MCP tools.
            Set SPOTLOG_NOW (an ISO 8601 instant) to fix "today" for reproducible output.
            """,
        options: groupOptions,
        subcommands: HistoryListCommands.all + HistoryTimeCommands.all + HistoryOverviewCommands.all
            + HistoryDeeperCommands.all + HistoryProfileCommands.all + HistoryReviewCommands.all)

    /// What a subcommand draws on the terminal from its document (`--json` prints the document).
    struct Rendering {
        var table: TextTable?
        var text: String?
        var emptyMessage: String?
        /// The document member printed one record per line by `--format ndjson`.
        var itemsKey = "items"
    }

    /// The subcommand for `query`: options for its own parameters (a required one is a
    /// positional argument), the man page's JSON fields from its schema, and `render` for tables.
    static func command<Body: Encodable>(_ query: HistoryQuery<Body>, aliases: [String] = [], examples: [CommandSpec.Example] = [],
                              render: @escaping @Sendable (HistoryDocument<Body>, CommandContext) -> Rendering) -> CommandSpec {
        let own = query.parameters.filter { parameter in !groupOptions.contains { $0.long == parameter.name } }
        return CommandSpec(
            query.name, aliases: aliases, summary: query.summary,
            arguments: own.filter(\.isRequired).map { ArgumentSpec($0.name.uppercased(), $0.kind, help: $0.help) },
            options: own.filter { !$0.isRequired }.map { OptionSpec($0) }, examples: examples,
            jsonSchema: query.schema.memberSummary
        ) { context in
            let arguments = try HistoryCommand.arguments(for: query.allParameters, context)
            guard let document = try query.document(arguments, user: context.userHandle,
                                                    now: try HistoryParameters.now(context.environment),
                                                    database: try context.openDatabase(.readOnly)) else {
                try context.emit(HistoryView.empty(query: query.name))
                return
            }
            let json = try DocumentEncoder().encode(document)
            let rendering = render(document, context)
            var items: [JSONValue]?
            if case .array(let list)? = json[rendering.itemsKey] { items = list }
            try context.emit(CommandOutput(document: json, items: items, table: rendering.table, text: rendering.text,
                                           emptyMessage: rendering.emptyMessage))
        }
    }

    /// The query's parameters as given on the command line (or in the environment, for `--tz`).
    static func arguments(for parameters: [QueryParameter], _ context: CommandContext) throws -> QueryArguments {
        let invocation = context.invocation
        let options = groupOptions + invocation.command.options
        var values: [String: String] = [:]
        for parameter in parameters {
            if let argument = invocation.command.arguments.first(where: { $0.name == parameter.name.uppercased() }) {
                values[parameter.name] = invocation.argument(argument)
            } else if let option = options.first(where: { $0.long == parameter.name }) {
                values[parameter.name] = invocation.explicitString(option)
            }
        }
        return try QueryArguments(values, parameters: parameters) { parameter in
            parameter.isRequired ? parameter.name.uppercased() : "--\(parameter.name)"
        }
    }
}

extension OptionSpec {
    /// The option for a Core query parameter.
    init(_ parameter: QueryParameter, short: Character? = nil, environment: String? = nil) {
        self.init(parameter.name, short: short, parameter.kind, default: parameter.defaultValue, environment: environment,
                  help: parameter.help)
    }
}
