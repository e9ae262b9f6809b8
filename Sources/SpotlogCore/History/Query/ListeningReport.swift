/// The documents `spotlog report` draws, answered by the same `HistoryQuery` declarations as
/// `spotlog history ... --json` and the MCP tools, for one period, zone and user.
public struct ListeningReport: Sendable {
    public let summary: HistoryDocument<SummaryBody>
    public let topArtists: HistoryDocument<RankingBody>
    public let topTracks: HistoryDocument<RankingBody>
    public let topAlbums: HistoryDocument<RankingBody>
    public let heatmap: HistoryDocument<HeatmapBody>
    public let months: HistoryDocument<TimelineBody>
    public let streaks: HistoryDocument<StreaksBody>
    public let discoveries: HistoryDocument<DiscoveriesBody>
    public let shows: HistoryDocument<RankingBody>
    public let books: HistoryDocument<RankingBody>
    public let coverage: HistoryDocument<CoverageBody>

    /// The report of `user` (by name or Spotify id; `nil` when there is one) over the period and
    /// zone `values` name (`period`, `from`, `to`, `tz`, as the history queries take them);
    /// `nil` when the database has no user yet.
    public static func build(_ values: [String: String], user: String?, now: EpochMillis, database: SpotlogDatabase,
                             spelling: @escaping @Sendable (QueryParameter) -> String) throws -> ListeningReport? {
        guard try UserDirectory(database: database).resolve(user) != nil else { return nil }
        func answer<Body>(_ query: HistoryQuery<Body>, _ extra: [String: String] = [:]) throws -> HistoryDocument<Body> {
            let arguments = try QueryArguments(values.merging(extra) { $1 }, parameters: query.allParameters, spelling: spelling)
            guard let document = try query.document(arguments, user: user, now: now, database: database) else {
                throw SpotlogError.notFound("the user was deleted while the report was being written")
            }
            return document
        }
        return ListeningReport(
            summary: try answer(OverviewQueries.summary),
            topArtists: try answer(ListQueries.topArtists), topTracks: try answer(ListQueries.topTracks),
            topAlbums: try answer(ListQueries.topAlbums), heatmap: try answer(TimeQueries.heatmap),
            months: try answer(TimeQueries.timeline, ["per": "month"]), streaks: try answer(TimeQueries.streaks),
            discoveries: try answer(OverviewQueries.discoveries),
            shows: try answer(ListQueries.topArtists, ["kind": "podcast", "limit": "5"]),
            books: try answer(ListQueries.topArtists, ["kind": "audiobook", "limit": "5"]),
            coverage: try answer(OverviewQueries.coverage))
    }
}
