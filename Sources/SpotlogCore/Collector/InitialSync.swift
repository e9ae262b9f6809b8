import GRDB

/// Why an initial sync stopped paging.
public enum SyncStopReason: String, Sendable, Equatable {
    /// An empty page: there is nothing older.
    case exhausted
    /// The `before` cursor did not move.
    case noProgress = "no_progress"
    /// The plays reached `maxDays` back (the page that reached them is stored whole).
    case maxDays = "max_days"
    /// `maxRequests` pages were asked for.
    case maxRequests = "max_requests"
    /// Spotify rate-limited the sync.
    case rateLimited = "rate_limited"
}

/// What one initial sync of one user did.
public struct SyncReport: Sendable, Equatable {
    public let user: String
    public var requests = 0
    public var fetched = 0
    public var inserted = 0
    public var duplicates = 0
    public var stopReason: SyncStopReason?
    /// The oldest play reached.
    public var oldest: EpochMillis?
    public var error: SpotlogError?

    public init(user: String, error: SpotlogError? = nil) {
        self.user = user
        self.error = error
    }
}

/// The initial backward sync: recently-played pages going back with `before` until a stop
/// condition. Spotify serves only the latest 50 or so plays, so it usually ends after one page
/// (`exhausted`); the rest of a history comes from the privacy export.
public enum InitialSync {
    public struct Limits: Sendable {
        public var maxDays: Int
        public var maxRequests: Int

        public init(maxDays: Int = 30, maxRequests: Int = 200) {
            self.maxDays = maxDays
            self.maxRequests = maxRequests
        }
    }

    /// Syncs `user` backwards, storing plays through the ledger, the run in `job_runs` and the
    /// outcome in `sync_state`. A failure is in the report (and the job), not thrown.
    public static func run(_ user: User, client: SpotifyClient, database: SpotlogDatabase, limits: Limits = Limits(),
                           now: EpochMillis = .now(), shouldStop: () -> Bool = { false }) throws -> SyncReport {
        let userID = try user.rowID
        var report = SyncReport(user: user.name)
        let job = try CollectorJob.start(.initialSync, userID: userID, database: database, now: now)
        try job.updateSyncState(["initial_sync_status = 'running'"], [])
        let horizon = now - Int64(limits.maxDays) * 86_400_000
        var before: EpochMillis?
        var interrupted = false
        do {
            while report.stopReason == nil {
                if shouldStop() {
                    interrupted = true
                    break
                }
                guard report.requests < limits.maxRequests else {
                    report.stopReason = .maxRequests
                    break
                }
                report.requests += 1
                let page = try client.recentlyPlayed(limit: Poller.pageSize, before: before)
                let plays = page.items.compactMap(LedgerPlay.init(recentlyPlayed:))
                guard let oldest = plays.map(\.endedAt).min() else {
                    report.stopReason = .exhausted
                    break
                }
                let counts = try PlayLedger(database: database).record(plays, userID: userID, now: now)
                report.fetched += page.items.count
                report.inserted += counts.inserted
                report.duplicates += counts.duplicates + counts.merged
                report.oldest = min(report.oldest ?? oldest, oldest)
                if oldest < horizon {
                    report.stopReason = .maxDays
                } else if let before, oldest >= before {
                    report.stopReason = .noProgress
                }
                before = oldest
            }
        } catch let limited as SpotifyRateLimited {
            report.stopReason = .rateLimited
            report.error = limited.spotlogError
        } catch {
            report.error = SpotlogError.from(error)
        }
        let stats = JSONValue.object([
            "requests": .int(report.requests), "fetched": .int(report.fetched), "inserted": .int(report.inserted),
            "duplicates": .int(report.duplicates), "stop_reason": .optional(report.stopReason?.rawValue, JSONValue.string),
        ])
        if interrupted {
            try job.updateSyncState(["initial_sync_status = 'pending'"], [])
            try job.finish(.interrupted, stats: stats)
            return report
        }
        if let stopReason = report.stopReason {
            try job.updateSyncState(
                ["initial_sync_status = ?", "initial_sync_stop_reason = ?", "initial_sync_oldest = ?"],
                [stopReason == .rateLimited ? "stopped" : "done", stopReason.rawValue, report.oldest])
        } else if let error = report.error, [.temporary, .unavailable].contains(error.category) {
            // Worth trying again: the daemon runs it again next cycle.
            try job.updateSyncState(["initial_sync_status = 'pending'"], [])
        } else {
            try job.updateSyncState(["initial_sync_status = 'stopped'"], [])
        }
        job.logger.info("""
            \(user.name): initial sync stopped (\(report.stopReason?.rawValue ?? "error")) after \(report.requests) requests, \
            \(report.inserted) new plays
            """)
        if let error = report.error {
            try job.fail(error, rateLimited: report.stopReason == .rateLimited, stats: stats)
        } else {
            try job.finish(.success, stats: stats)
            try job.updateSyncState(["last_success_at = ?", "consecutive_errors = 0", "last_error = NULL"], [now])
        }
        return report
    }
}
