import GRDB

/// What one enrichment run did.
public struct EnrichReport: Sendable, Equatable {
    public let user: String
    public var requests = 0
    /// Tracks whose details were stored.
    public var enriched = 0
    /// Tracks Spotify did not know (not asked for again).
    public var unknown = 0
    /// Tracks still to do (the next run goes on with them).
    public var remaining = 0
    /// Artists whose genres and popularity were stored.
    public var artists = 0
    public var error: SpotlogError?

    public init(user: String, error: SpotlogError? = nil) {
        self.user = user
        self.error = error
    }
}

/// Fills in what the Web API still serves for tracks the user played that lack it (the export
/// names tracks without duration, ordered artists, album URI or release date), then for their
/// artists (genres, popularity), within a budget of requests per run. Batches of 50 when the batch endpoint is served, one request per track
/// when it is refused (apps in development mode). Resumable: the tracks to do are those still
/// without a duration that Spotify has not said it does not know.
public enum Enricher {
    static let batchSize = 50

    public static func run(_ user: User, client: SpotifyClient, database: SpotlogDatabase, budget: Int,
                           now: EpochMillis = .now()) throws -> EnrichReport {
        let userID = try user.rowID
        var report = EnrichReport(user: user.name)
        let job = try CollectorJob.start(.enrich, userID: userID, database: database, now: now)
        let firstRequest = client.requestsSent
        do {
            // A batch is one request for 50 items; once batches are refused, each item is one.
            // Until a batch was served, a refused one would cost one more, so fewer are asked.
            var batchesServed = false
            func limit() -> Int {
                let left = budget - (client.requestsSent - firstRequest)
                return !client.usesBatchEndpoints ? left : batchesServed ? batchSize : min(batchSize, max(1, left - 1))
            }
            while client.requestsSent - firstRequest < budget {
                let candidates = try self.candidates(userID: userID, limit: limit(), database: database)
                guard !candidates.isEmpty else { break }
                // One request left and batches not known to work: ask for the one track alone.
                let found = candidates.count == 1 && !batchesServed
                    ? try client.tracks(ids: candidates.map(\.spotifyID), oneByOne: true)
                    : try client.tracks(ids: candidates.map(\.spotifyID))
                batchesServed = client.usesBatchEndpoints
                try database.writer.write { db in
                    let details = try ItemDetails(db)
                    var stored = Set<String>()
                    for track in found {
                        guard let candidate = candidates.first(where: { $0.uri == track.uri }) else { continue }
                        try details.store(LedgerPlay.Item(track: track), of: .music, itemID: candidate.id)
                        // A track without a duration in the answer is not asked for again either.
                        if track.durationMs == nil {
                            try db.execute(sql: "INSERT OR IGNORE INTO enrichment_misses (track_id, looked_up_at) VALUES (?, ?)",
                                           arguments: [candidate.id, now])
                        }
                        stored.insert(track.uri)
                    }
                    for candidate in candidates where !stored.contains(candidate.uri) {
                        try db.execute(sql: "INSERT OR IGNORE INTO enrichment_misses (track_id, looked_up_at) VALUES (?, ?)",
                                       arguments: [candidate.id, now])
                    }
                    report.enriched += stored.count
                    report.unknown += candidates.count - stored.count
                }
            }
            while client.requestsSent - firstRequest < budget {
                let artists = try artistCandidates(userID: userID, limit: limit(), database: database)
                guard !artists.isEmpty else { break }
                let found = try client.artists(ids: artists.map { String($0.uri.dropFirst("spotify:artist:".count)) })
                batchesServed = client.usesBatchEndpoints
                try database.writer.write { db in
                    for artist in found {
                        let genres = JSONValue.array((artist.genres ?? []).map(JSONValue.string)).serialized()
                        try db.execute(sql: "UPDATE artists SET genres = ?, popularity = ? WHERE uri = ?",
                                       arguments: [genres, artist.popularity, artist.uri])
                    }
                    let list = artists.map { String($0.id) }.joined(separator: ",")
                    try db.execute(sql: "UPDATE artists SET looked_up_at = ? WHERE id IN (\(list))", arguments: [now])
                }
                report.artists += found.count
            }
            report.requests = client.requestsSent - firstRequest
            report.remaining = try candidates(userID: userID, limit: nil, database: database).count
            job.logger.info("""
                \(user.name): enriched \(report.enriched) tracks and \(report.artists) artists in \(report.requests) requests, \
                \(report.remaining) tracks left
                """)
            try job.finish(.success, stats: stats(report))
        } catch {
            report.requests = client.requestsSent - firstRequest
            report.error = SpotlogError.from(error)
            try job.fail(SpotlogError.from(error), rateLimited: error is SpotifyRateLimited, stats: stats(report))
        }
        return report
    }

    private struct Candidate {
        let id: Int64
        let uri: String
        var spotifyID: String { String(uri.dropFirst("spotify:track:".count)) }
    }

    /// Tracks the user played that have a Spotify URI but no duration, and were not found before.
    private static func candidates(userID: Int64, limit: Int?, database: SpotlogDatabase) throws -> [Candidate] {
        try database.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, uri FROM tracks
                WHERE uri LIKE 'spotify:track:%' AND duration_ms IS NULL
                  AND id NOT IN (SELECT track_id FROM enrichment_misses)
                  AND id IN (SELECT item_id FROM plays WHERE user_id = ? AND kind = 'music')
                ORDER BY id \(limit.map { "LIMIT \($0)" } ?? "")
                """, arguments: [userID]).map { Candidate(id: try $0.decode(atIndex: 0), uri: try $0.decode(atIndex: 1)) }
        }
    }

    /// Artists of tracks the user played, with a Spotify URI, that were never looked up.
    private static func artistCandidates(userID: Int64, limit: Int, database: SpotlogDatabase) throws -> [Candidate] {
        try database.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, uri FROM artists
                WHERE uri LIKE 'spotify:artist:%' AND looked_up_at IS NULL
                  AND id IN (SELECT artist_id FROM track_artists
                             WHERE track_id IN (SELECT item_id FROM plays WHERE user_id = ? AND kind = 'music'))
                ORDER BY id LIMIT ?
                """, arguments: [userID, limit]).map { Candidate(id: try $0.decode(atIndex: 0), uri: try $0.decode(atIndex: 1)) }
        }
    }

    static func stats(_ report: EnrichReport) -> JSONValue {
        .object(["requests": .int(report.requests), "enriched": .int(report.enriched), "unknown": .int(report.unknown),
                 "remaining": .int(report.remaining), "artists": .int(report.artists)])
    }
}
