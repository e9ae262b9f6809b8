import Foundation
import GRDB
import Logging
import ZIPFoundation
@testable import SpotlogCore

/// The core's log records are not printed in tests: swift-log's default handler would print
/// every info record on standard output.
enum QuietLogging {
    static let installed: Void = LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
}

/// Builds small exports on disk for import tests, and reads back what the import stored.
final class ExportFixture {
    let root: URL

    init() throws {
        _ = QuietLogging.installed
        root = FileManager.default.temporaryDirectory.appendingPathComponent("spotlog-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes `files` (relative path → contents) into a new folder and returns its path.
    func directory(_ files: [String: String], named name: String = "export") throws -> String {
        let folder = root.appendingPathComponent(name)
        for (path, contents) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        return folder.path
    }

    /// Writes a ZIP holding `files` and returns its path.
    func zip(_ files: [(path: String, data: Data)], named name: String = "export.zip",
             compression: CompressionMethod = .deflate) throws -> String {
        let url = root.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for file in files {
            try archive.addEntry(with: file.path, type: .file, uncompressedSize: Int64(file.data.count),
                                 compressionMethod: compression) { position, size in
                file.data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url.path
    }

    /// Writes raw bytes to a file in the fixture folder and returns its path.
    func file(_ name: String, _ data: Data) throws -> String {
        let url = root.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}

/// JSON for history records, written the way Spotify writes them.
enum Records {
    private static func value(_ value: Any?) -> Any { value ?? NSNull() }

    /// An extended-history music row.
    static func track(_ ts: String, uri: String? = "spotify:track:abc", track: String? = "Song", artist: String? = "Artist",
                      album: String? = "Album", ms: Int = 200_000, extra: [String: Any] = [:]) -> [String: Any] {
        var row: [String: Any] = [
            "ts": ts, "username": "listener", "platform": "linux", "ms_played": ms, "conn_country": "GB",
            "ip_addr_decrypted": "192.0.2.1", "user_agent_decrypted": "unknown",
            "master_metadata_track_name": value(track), "master_metadata_album_artist_name": value(artist),
            "master_metadata_album_album_name": value(album), "spotify_track_uri": value(uri),
            "episode_name": NSNull(), "episode_show_name": NSNull(), "spotify_episode_uri": NSNull(),
            "reason_start": "clickrow", "reason_end": "trackdone", "shuffle": false, "skipped": false,
            "offline": false, "offline_timestamp": 1_700_000_000, "incognito_mode": false,
        ]
        row.merge(extra) { $1 }
        return row
    }

    /// An account-data music row.
    static func account(_ endTime: String, artist: String = "Artist", track: String = "Song", ms: Int = 200_000)
        -> [String: Any] {
        ["endTime": endTime, "artistName": artist, "trackName": track, "msPlayed": ms]
    }

    /// A JSON array of rows.
    static func json(_ rows: [[String: Any]]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// Runs imports into an in-memory database and reads back what was stored.
final class ImportHarness: Sendable {
    let database: SpotlogDatabase

    init() throws {
        _ = QuietLogging.installed
        database = try SpotlogDatabase.inMemory()
    }

    @discardableResult
    func run(_ paths: [String], user: String? = nil, dryRun: Bool = false, limits: ImportLimits = ImportLimits())
        throws -> ImportReport {
        var options = Importer.Options(paths: paths, userHandle: user, dryRun: dryRun)
        options.limits = limits
        return try Importer(database: database).run(options)
    }

    func count(_ sql: String = "SELECT count(*) FROM plays") throws -> Int {
        try database.reader.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// Every stored play as comparable text: time, kind, item URI, ms, source, variant.
    func plays() throws -> [String] {
        try database.reader.read { db in
            try String.fetchAll(db, sql: """
                SELECT p.played_at || ' ' || p.kind || ' ' || coalesce(t.uri, e.uri, c.uri) || ' ' || p.ms_played
                       || ' ' || p.source || ' ' || p.variant
                FROM plays p
                LEFT JOIN tracks t ON p.kind = 'music' AND t.id = p.item_id
                LEFT JOIN episodes e ON p.kind = 'podcast' AND e.id = p.item_id
                LEFT JOIN chapters c ON p.kind = 'audiobook' AND c.id = p.item_id
                ORDER BY 1
                """)
        }
    }

    /// SQLite's own consistency checks: page structure, constraints and foreign keys.
    func isConsistent() throws -> Bool {
        try database.reader.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"]
                && Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty
        }
    }

    /// Every rollup row as text, to compare incremental maintenance with a rebuild.
    func rollups() throws -> [String] {
        try database.reader.read { db in
            try String.fetchAll(db, sql: """
                SELECT 'total ' || user_id || ' ' || kind || ' ' || item_id || ' ' || plays || ' ' || ms_played || ' '
                       || first_played_at || ' ' || last_played_at FROM play_totals
                UNION ALL
                SELECT 'month ' || user_id || ' ' || month || ' ' || kind || ' ' || item_id || ' ' || plays || ' ' || ms_played
                       || ' ' || judged || ' ' || skipped || ' ' || hex(days) FROM play_months
                UNION ALL
                SELECT 'day ' || user_id || ' ' || day || ' ' || kind || ' ' || source || ' ' || plays || ' ' || ms_played
                       || ' ' || counted_plays || ' ' || counted_ms || ' ' || hex(quarters) FROM play_days
                UNION ALL
                SELECT 'spans ' || user_id || ' ' || day || ' ' || kind || ' ' || source || ' ' || hex(spans) FROM play_spans
                ORDER BY 1
                """)
        }
    }

    /// Whether the incrementally kept rollups equal the ones computed from scratch.
    func rollupsMatchARebuild() throws -> Bool {
        let incremental = try rollups()
        try database.writer.write { db in try RollupBuilder.rebuild(db) }
        return try rollups() == incremental && !incremental.isEmpty
    }

    func rows(_ sql: String) throws -> [Row] {
        try database.reader.read { db in try Row.fetchAll(db, sql: sql) }
    }
}
