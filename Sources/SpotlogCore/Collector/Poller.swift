import GRDB
import Logging

/// What one poll of one user did.
public struct PollReport: Sendable, Equatable {
    public let user: String
    /// Plays recently-played returned.
    public var fetched = 0
    public var inserted = 0
    /// Plays already stored, as such or merged with their twin from the export.
    public var duplicates = 0
    /// A full page came back: plays may have been missed since the last poll.
    public var gapPossible = false
    /// Set when Spotify rate-limited the poll.
    public var rateLimitedUntil: EpochMillis?
    /// Why the poll failed, when it did.
    public var error: SpotlogError?

    public init(user: String, error: SpotlogError? = nil) {
        self.user = user
        self.error = error
    }
}

/// Incremental polls of recently-played: everything after the newest play stored for the user
/// (from any source), 50 at most. Spotify keeps only the latest 50 plays there, so a full page
/// means plays may have been missed since the last poll.
public enum Poller {
    static let pageSize = 50

    /// Polls once for `user` with `client`, storing new plays through the ledger and the run in
    /// `job_runs`. A failure is in the report (and the job), not thrown. When `shouldStop` says
    /// so once the answer is in, nothing is stored and the run is `interrupted`.
    public static func poll(_ user: User, client: SpotifyClient, database: SpotlogDatabase, now: EpochMillis = .now(),
                            shouldStop: () -> Bool = { false }) throws -> PollReport {
        let userID = try user.rowID
        var report = PollReport(user: user.name)
        let job = try CollectorJob.start(.poll, userID: userID, database: database, now: now)
        do {
            let newest = try database.reader.read { db in
                try EpochMillis.fetchOne(db, sql: "SELECT max(played_at) FROM plays WHERE user_id = ?", arguments: [userID])
            }
            let page = try client.recentlyPlayed(limit: pageSize, after: newest)
            report.fetched = page.items.count
            if shouldStop() {
                try job.finish(.interrupted, stats: stats(report))
                return report
            }
            let plays = page.items.compactMap(LedgerPlay.init(recentlyPlayed:))
            let counts = try PlayLedger(database: database).record(plays, userID: userID, now: now)
            report.inserted = counts.inserted
            report.duplicates = counts.duplicates + counts.merged
            report.gapPossible = page.items.count >= pageSize
            if report.gapPossible {
                job.logger.warning("\(user.name): recently-played returned a full page; plays since the last poll may be missing")
            }
            job.logger.info("\(user.name): polled \(report.fetched) plays, \(report.inserted) new")
            try job.finish(.success, stats: stats(report))
            var assignments = ["last_poll_at = ?", "last_success_at = ?", "consecutive_errors = 0", "last_error = NULL",
                               "rate_limited_until = NULL"]
            var arguments: StatementArguments = [now, now]
            if let newestFetched = plays.map(\.endedAt).max() {
                assignments.append("last_played_at = max(coalesce(last_played_at, 0), ?)")
                arguments += [newestFetched]
            }
            try job.updateSyncState(assignments, arguments)
        } catch {
            let problem = SpotlogError.from(error)
            report.error = problem
            if let limited = error as? SpotifyRateLimited { report.rateLimitedUntil = limited.until }
            try job.updateSyncState(["last_poll_at = ?"], [now])
            try job.fail(problem, rateLimited: error is SpotifyRateLimited, stats: stats(report))
        }
        return report
    }

    static func stats(_ report: PollReport) -> JSONValue {
        .object(["fetched": .int(report.fetched), "inserted": .int(report.inserted), "duplicates": .int(report.duplicates),
                 "gap_possible": .bool(report.gapPossible)])
    }
}
