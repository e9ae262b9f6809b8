import SpotlogCore

/// The one declarative table of spotlog's commands. The parser, help, the man page and the
/// shell completions are all generated from it.
public enum CommandTable {
    public static let root = CommandSpec(
        "spotlog",
        summary: "keep your complete Spotify listening history in one local SQLite file",
        discussion: """
            spotlog imports Spotify's privacy export, polls the Web API so no future play is lost, \
            and answers questions about your history from the terminal, scripts and AI assistants (MCP).
            Data goes to standard output, messages to standard error. Every command takes --json.
            """,
        subcommands: [
            AuthCommand.spec, SyncCommand.spec, PollCommand.spec, EnrichCommand.spec, ImportCommand.spec, HistoryCommand.spec, ReportCommand.spec,
            McpCallCommand.spec, McpServeCommand.spec, AdminCommand.spec, LogsCommand.spec, DaemonCommand.spec,
            HelpCommand.spec, CompletionsCommand.spec, ManCommand.spec,
        ],
        examples: [
            .init("spotlog import my_spotify_data.zip", "import a privacy export (works offline)"),
            .init("spotlog history top-artists --period 1y", "your top artists of the last year"),
        ])

    /// The command at `path` below the root, with the options of its enclosing groups; an unknown
    /// word is a usage error with a suggestion.
    static func resolve(_ path: [String]) throws -> (command: CommandSpec, inherited: [OptionSpec]) {
        var command = root
        var inherited: [OptionSpec] = []
        for (depth, word) in path.enumerated() {
            guard let next = command.subcommand(named: word) else {
                let names = command.visibleSubcommands.map(\.name)
                let hint = Suggestions.closest(to: word, among: names).map { "; did you mean '\($0)'?" } ?? ""
                let parent = (["spotlog"] + path.prefix(depth)).joined(separator: " ")
                throw SpotlogError.usage("unknown command '\(word)' for '\(parent)'\(hint)")
            }
            if depth > 0 { inherited += command.options }
            command = next
        }
        return (command, inherited)
    }

    /// Every command in the table with its path, depth first.
    static func walk() -> [(path: [String], command: CommandSpec)] {
        func visit(_ command: CommandSpec, _ path: [String]) -> [([String], CommandSpec)] {
            [(path, command)] + command.subcommands.flatMap { visit($0, path + [$0.name]) }
        }
        return visit(root, [])
    }
}
