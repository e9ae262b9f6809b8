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

    /// Reads the status of `database`.
    public static func read(from database: SpotlogDatabase) throws -> DatabaseStatus {
        let migrations = try database.appliedMigrations()
        return try database.reader.read { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            let range = try Row.fetchOne(db, sql: "SELECT min(played_at) AS first, max(played_at) AS last FROM plays")
            return DatabaseStatus(
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
