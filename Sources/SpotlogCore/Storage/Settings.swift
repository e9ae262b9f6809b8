import GRDB

/// Values remembered between runs, in `settings`.
public enum Settings {
    /// The Spotify client id, remembered after the first login.
    public static let clientID = "spotify.client_id"
    /// Days of log records the daemon keeps (default 30).
    public static let logRetention = "logs.retention"
    /// When the daemon last removed old log records.
    public static let lastLogPurge = "logs.last_purge_at"

    public static func get(_ key: String, in db: Database) throws -> String? {
        try Setting.fetchOne(db, key: key)?.value
    }

    public static func set(_ key: String, _ value: String, in db: Database) throws {
        var setting = Setting(key: key, value: value, updatedAt: .now())
        try setting.save(db)
    }
}
