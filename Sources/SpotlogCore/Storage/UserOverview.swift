import GRDB

/// One user as `spotlog admin users list` and `users show` describe them, read offline.
public struct UserOverview: Sendable {
    public let user: User
    public let plays: Int
    public let firstPlay: EpochMillis?
    public let lastPlay: EpochMillis?
    public let lastPoll: EpochMillis?
    public let lastSuccess: EpochMillis?
    public let lastError: String?
    public let rateLimitedUntil: EpochMillis?
    public let initialSyncStatus: String?
    public let initialSyncStopReason: String?
    /// When the access token expires, and when the refresh token was granted (Spotify's refresh
    /// tokens stop working six months later); `nil` without a login. Never the tokens.
    public let accessExpiresAt: EpochMillis?
    public let authorizedAt: EpochMillis?
    /// Every play (however short) by source and kind: `"extended/music": 120`.
    public let playsBySourceAndKind: [String: Int]

    /// Every user, oldest first.
    public static func all(in database: SpotlogDatabase) throws -> [UserOverview] {
        try database.reader.read { db in try User.order(Column("id")).fetchAll(db).map { try read($0, in: db) } }
    }

    /// One user.
    public static func of(_ user: User, in database: SpotlogDatabase) throws -> UserOverview {
        try database.reader.read { db in try read(user, in: db) }
    }

    static func read(_ user: User, in db: Database) throws -> UserOverview {
        let id = try user.rowID
        let sync = try Row.fetchOne(db, sql: """
            SELECT last_poll_at, last_success_at, last_error, rate_limited_until, initial_sync_status,
                   initial_sync_stop_reason FROM sync_state WHERE user_id = ?
            """, arguments: [id])
        let token = try Row.fetchOne(db, sql: "SELECT access_expires_at, authorized_at FROM tokens WHERE user_id = ?",
                                     arguments: [id])
        var bySource: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT source || '/' || kind, sum(plays) FROM play_days WHERE user_id = ? GROUP BY source, kind
            """, arguments: [id]) {
            bySource[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1)
        }
        return UserOverview(
            user: user, plays: bySource.values.reduce(0, +),
            firstPlay: try EpochMillis.fetchOne(db, sql: "SELECT min(played_at) FROM plays WHERE user_id = ?", arguments: [id]),
            lastPlay: try EpochMillis.fetchOne(db, sql: "SELECT max(played_at) FROM plays WHERE user_id = ?", arguments: [id]),
            lastPoll: try sync?.decode(forColumn: "last_poll_at"), lastSuccess: try sync?.decode(forColumn: "last_success_at"),
            lastError: try sync?.decode(forColumn: "last_error"),
            rateLimitedUntil: try sync?.decode(forColumn: "rate_limited_until"),
            initialSyncStatus: try sync?.decode(forColumn: "initial_sync_status"),
            initialSyncStopReason: try sync?.decode(forColumn: "initial_sync_stop_reason"),
            accessExpiresAt: try token?.decode(forColumn: "access_expires_at"),
            authorizedAt: try token?.decode(forColumn: "authorized_at"), playsBySourceAndKind: bySource)
    }
}

extension UserDirectory {
    /// The user named `handle`, or a not-found error listing the users.
    public func require(_ handle: String) throws -> User {
        guard let user = try find(handle) else {
            throw SpotlogError.notFound("no user named '\(handle)'\(try database.reader.read(Self.listing(in:)))")
        }
        return user
    }

    /// Pauses (the collector skips the user) or resumes a user.
    public func setStatus(_ status: User.Status, of user: User) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE users SET status = ?, updated_at = ? WHERE id = ?",
                           arguments: [status.rawValue, EpochMillis.now(), try user.rowID])
        }
    }

    /// Makes an initial sync (and so a poll) due on the daemon's next cycle.
    public func triggerSync(of user: User) throws {
        try database.writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO sync_state (user_id, updated_at) VALUES (?, ?)",
                           arguments: [try user.rowID, EpochMillis.now()])
            try db.execute(sql: """
                UPDATE sync_state SET initial_sync_status = 'pending', initial_sync_stop_reason = NULL, updated_at = ?
                WHERE user_id = ?
                """, arguments: [EpochMillis.now(), try user.rowID])
        }
    }
}
