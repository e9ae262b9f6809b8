/// Every MCP tool spotlog offers, in the order `tools/list` shows them.
///
/// Overview of `Tools/`: a `Tool` is declared once (name, title, description, parameters,
/// output schema, annotations, handler) and called the same way by `spotlog mcp-call` and by
/// `MCPServer`, the hand-written JSON-RPC 2.0 server behind `spotlog mcp-serve`.
/// - History tools wrap the `HistoryQuery` declarations (`ListQueries`, `OverviewQueries`,
///   `TimeQueries`): their results are the documents `spotlog history ... --json` prints.
/// - `SpotifyTools` call the Web API for a logged-in user; `OpsTools` read the collector's state.
/// - `MCPServer` speaks the protocol revisions in `MCPRevision` over newline-delimited JSON.
public enum ToolRegistry {
    /// Whose data; optional when there is only one user (one logged-in user for `spotify.*`).
    static let user = QueryParameter("user", .text, help: "the user (name or Spotify id); optional when there is one user")

    public static let all: [Tool] = [
        history(OverviewQueries.summary, title: "Taste summary"),
        history(ListQueries.topArtists, title: "Top artists"),
        history(ListQueries.topTracks, title: "Top tracks"),
        history(ListQueries.topAlbums, title: "Top albums"),
        history(TimeQueries.heatmap, title: "Listening heatmap"),
        history(OverviewQueries.repeatRate, title: "Repeat rate"),
        history(OverviewQueries.coverage, title: "Coverage"),
        history(ListQueries.recent, title: "Recent plays"),
        history(TimeQueries.timeline, title: "Timeline"),
        history(TimeQueries.streaks, title: "Streaks"),
        history(OverviewQueries.discoveries, title: "Discoveries"),
        history(ListQueries.search, title: "Search plays"),
        history(DeeperQueries.forgotten, title: "Forgotten favourites"),
        history(ProfileQueries.artist, title: "One artist in depth"),
        history(ProfileQueries.track, title: "One song in depth"),
        history(ProfileQueries.album, title: "One album in depth"),
        history(ReviewQueries.compare, title: "Compare two periods"),
        history(ReviewQueries.wrapped, title: "Year in review"),
        history(HabitQueries.skips, title: "Skips"),
        history(HabitQueries.sessions, title: "Listening sessions"),
    ] + SpotifyTools.all + OpsTools.all

    /// The tool called `name`, or a usage error suggesting the closest name.
    public static func tool(named name: String) throws -> Tool {
        if let tool = all.first(where: { $0.name == name }) { return tool }
        let hint = Suggestions.closest(to: name, among: all.map(\.name)).map { "; did you mean '\($0)'?" }
            ?? "; 'spotlog mcp-call --list' lists them"
        throw SpotlogError.usage("unknown tool '\(name)'\(hint)")
    }

    /// The message for a history tool asked about a database with no user yet.
    static let noHistory = "no listening history yet; import an export with 'spotlog import'"

    static func history<Body: Encodable>(_ query: HistoryQuery<Body>, title: String) -> Tool {
        Tool(name: query.toolName, title: title, description: query.summary.prefix(1).uppercased() + query.summary.dropFirst()
                + " (from the local listening history, offline).",
             parameters: [user] + query.allParameters, outputSchema: query.documentSchema) { arguments, context in
            guard let document = try query.document(arguments, user: arguments.string(user), now: try context.now(),
                                                    database: try context.database(.readOnly)) else {
                throw SpotlogError.notFound(noHistory)
            }
            return try DocumentEncoder().encode(document)
        }
    }
}
