import Foundation
import GRDB

/// A snapshot of what the database holds, for `spotlog admin status`.
public struct DatabaseStatus: Sendable, Equatable {
    public var path: String
    public var schemaVersion: Int
    public var migrations: [String]
    public var users: Int
    public var plays: Int
    public var tracks: Int
    public var artists: Int
    public var episodes: Int
    public var chapters: Int
    /// Bytes on disk: the database file plus its write-ahead log.
    public var sizeBytes: Int64
    public var earliestPlay: EpochMillis?
    public var latestPlay: EpochMillis?
    /// Plays that ended in the last 24 hours and the last 7 days.
    public var playsLastDay = 0
    public var playsLastWeek = 0
    /// A user's name, status and last successful poll.
    public struct UserState: Sendable, Equatable {
        public let name: String
        public let status: String
        public let lastSuccess: EpochMillis?
    }

    public var userStates: [UserState] = []
    /// Job runs still running, and those that failed in the last 7 days.
    public var runningJobs = 0
    public var failedJobs = 0

    /// Reads the status of `database` at `now`.
    public static func read(from database: SpotlogDatabase, now: EpochMillis = .now()) throws -> DatabaseStatus {
        let migrations = try database.appliedMigrations()
        return try database.reader.read { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            let range = try Row.fetchOne(db, sql: "SELECT min(played_at) AS first, max(played_at) AS last FROM plays")
            // Counted per user, so each count is a range of the plays' key, not a scan.
            func recent(_ since: EpochMillis) throws -> Int {
                try Int.fetchOne(db, sql: """
                    SELECT coalesce(sum((SELECT count(*) FROM plays p WHERE p.user_id = u.id AND p.played_at >= ?)), 0)
                    FROM users u
                    """, arguments: [since]) ?? 0
            }
            let states = try Row.fetchAll(db, sql: """
                SELECT u.name, u.status, s.last_success_at FROM users u LEFT JOIN sync_state s ON s.user_id = u.id ORDER BY u.id
                """).map { row in
                UserState(name: try row.decode(atIndex: 0), status: try row.decode(atIndex: 1),
                          lastSuccess: try row.decode(atIndex: 2))
            }
            var status = DatabaseStatus(
                path: database.path ?? ":memory:",
                schemaVersion: migrations.count,
                migrations: migrations,
                users: try count("users"),
                plays: try count("plays"),
                tracks: try count("tracks"),
                artists: try count("artists"),
                episodes: try count("episodes"),
                chapters: try count("chapters"),
                sizeBytes: Self.sizeOnDisk(database.path),
                earliestPlay: try range?.decode(forColumn: "first"),
                latestPlay: try range?.decode(forColumn: "last"))
            status.playsLastDay = try recent(now - 86_400_000)
            status.playsLastWeek = try recent(now - 7 * 86_400_000)
            status.userStates = states
            status.runningJobs = try Int.fetchOne(db, sql: "SELECT count(*) FROM job_runs WHERE status = 'running'") ?? 0
            status.failedJobs = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM job_runs WHERE status IN ('error', 'rate_limited') AND started_at >= ?
                """, arguments: [now - 7 * 86_400_000]) ?? 0
            return status
        }
    }

    private static func sizeOnDisk(_ path: String?) -> Int64 {
        guard let path else { return 0 }
        return [path, path + "-wal"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }
}
