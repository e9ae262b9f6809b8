import GRDB
import Logging

/// A collector run as a `job_runs` row, and the user's `sync_state` it updates.
///
/// The row is written when the run starts (`running`) and finished with its outcome, its
/// counts as JSON and, for a failure, the error's message (never a token).
struct CollectorJob {
    let database: SpotlogDatabase
    let userID: Int64
    let id: Int64

    /// A logger whose records carry the user and this run (`spotlog logs --job ID`).
    var logger: Logger {
        var logger = Logger(label: "spotlog.collector")
        logger[metadataKey: "user"] = "\(userID)"
        logger[metadataKey: "job_run"] = "\(id)"
        return logger
    }

    /// Starts a run of `type` for `userID`.
    static func start(_ type: JobRun.JobType, userID: Int64, database: SpotlogDatabase, now: EpochMillis) throws -> CollectorJob {
        let id = try database.writer.write { db in
            var run = JobRun(userId: userID, jobType: type, status: .running, startedAt: now)
            try run.insert(db)
            guard let id = run.id else { throw SpotlogError.failure("the job run was not saved") }
            return id
        }
        return CollectorJob(database: database, userID: userID, id: id)
    }

    /// Finishes the run with `status`, its `stats` and an error message.
    func finish(_ status: JobRun.Status, stats: JSONValue, error: String? = nil) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE job_runs SET status = ?, finished_at = ?, stats = ?, error = ? WHERE id = ?",
                           arguments: [status.rawValue, EpochMillis.now(), stats.serialized(), error, id])
        }
    }

    /// Updates the user's `sync_state` row (made when missing) with `assignments`, e.g.
    /// `"last_poll_at = ?"`, and their arguments.
    func updateSyncState(_ assignments: [String], _ arguments: StatementArguments) throws {
        try database.writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO sync_state (user_id, updated_at) VALUES (?, ?)",
                           arguments: [userID, EpochMillis.now()])
            try db.execute(sql: "UPDATE sync_state SET \((assignments + ["updated_at = ?"]).joined(separator: ", ")) WHERE user_id = ?",
                           arguments: arguments + [EpochMillis.now(), userID])
        }
    }

    /// Records a failed run: the job's status (`rate_limited` when Spotify's rate limit ended
    /// it, else `error`) and the user's last error.
    func fail(_ error: SpotlogError, rateLimited: Bool, stats: JSONValue) throws {
        let status: JobRun.Status = rateLimited ? .rateLimited : .error
        logger.error("\(error.message)")
        try finish(status, stats: stats, error: error.message)
        try updateSyncState(["last_error = ?", "consecutive_errors = consecutive_errors + 1"], [error.message])
    }
}
