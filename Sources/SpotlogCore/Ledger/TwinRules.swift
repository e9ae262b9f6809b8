import GRDB

/// When records from two sources are one play, and which record the play keeps.
///
/// Spotify tells of the same listening three ways, each with its own precision:
/// - extended streaming history (the export): second-precision `ts`, the real `ms_played` and
///   every detail;
/// - the Web API's recently-played: millisecond `played_at` up to a few seconds after the
///   export's `ts`, full track metadata, no `ms_played`;
/// - account data (the export): the minute only, names only.
///
/// The rules, one-to-one and the same in either arrival order:
/// - **extended and API** are one play when the user and item match (by URI, or by match key
///   when either item has no Spotify URI) and the end times are within `apiWindow` (10 s).
///   The play keeps the extended record: an API play arriving later is recorded in
///   `api_records` and adds nothing; an extended record arriving later replaces the API play.
/// - **account and extended-or-API** are one play when the match keys agree and the account
///   row's minute holds the other's end time (for the API, up to `apiWindow` later). The play
///   keeps the richer record; `account_records` remembers every account row, merged or not.
/// - Among several candidates the closest one is taken (in time, or in `ms_played`), and a
///   stored play merged with one record of a source is not merged with another of it.
///
/// Every decision reads what is committed, inside the write transaction that stores the play:
/// the ranges that let most plays skip the lookups are read again at each transaction.
final class TwinRules {
    /// How far apart the export's `ts` and the API's `played_at` of one play may be.
    static let apiWindow: Int64 = 10_000
    private static let minute: Int64 = 60_000

    /// A stored play, by its key (with the user and kind), and its milliseconds.
    struct StoredPlay {
        let playedAt: Int64
        let itemID: Int64
        let variant: Int64
        let msPlayed: Int64
        /// `msPlayed` is an estimate (a Web API play's track duration).
        var msEstimated = false
    }

    private let userID: Int64
    private let selectRanges, selectAccountRecord, insertAccountRecord, selectAPIRecord, insertAPIRecord: RawStatement
    private let repointAccountRecords, repointAPIRecords, deletePlay, setMillis, markEstimated, unmarkEstimated: RawStatement
    private let secondPrecisionCandidates, accountCandidates, apiCandidates, extendedCandidates: [PlayKind: RawStatement]
    /// The minutes of this user's account rows and the end times of their API plays: a record
    /// outside them has no twin of that source, and skips the lookup.
    private var accountMinutes, apiTimes: ClosedRange<Int64>?

    init(_ db: Database, userID: Int64) throws {
        self.userID = userID
        // Separate subqueries: SQLite reads a lone min() or max() from an index's ends, but scans
        // for both. API plays are found by day in `play_days` (a few thousand rows), not in
        // `plays`, whose key does not lead with the source: that scan made a 1M-play import 3x
        // slower (measured). The days are widened by the plays stored since their commit.
        selectRanges = try RawStatement(db, """
            SELECT (SELECT min(ended_minute) FROM account_records WHERE user_id = ?1),
                   (SELECT max(ended_minute) FROM account_records WHERE user_id = ?1),
                   (SELECT min(day) FROM play_days WHERE user_id = ?1 AND source = 'api') * \(Rollups.millisPerDay),
                   ((SELECT max(day) FROM play_days WHERE user_id = ?1 AND source = 'api') + 1) * \(Rollups.millisPerDay) - 1
            """)
        selectAccountRecord = try RawStatement(db, """
            SELECT 1 FROM account_records
            WHERE user_id = ?1 AND ended_minute = ?2 AND kind = ?3 AND item_id = ?4 AND ms_played = ?5
            """)
        insertAccountRecord = try RawStatement(db, """
            INSERT INTO account_records (user_id, ended_minute, kind, item_id, ms_played, play_played_at, play_item_id,
                                         play_variant)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
        selectAPIRecord = try RawStatement(db, """
            SELECT 1 FROM api_records WHERE user_id = ?1 AND played_at = ?2 AND kind = ?3 AND item_id = ?4
            """)
        insertAPIRecord = try RawStatement(db, """
            INSERT INTO api_records (user_id, played_at, kind, item_id, play_played_at, play_item_id, play_variant)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
        // Move the records of play (?3, ?4, ?5) to play (?6, ?7, ?8), both of kind ?2.
        repointAccountRecords = try RawStatement(db, """
            UPDATE account_records SET play_played_at = ?6, play_item_id = ?7, play_variant = ?8
            WHERE user_id = ?1 AND kind = ?2 AND play_played_at = ?3 AND play_item_id = ?4 AND play_variant = ?5
            """)
        repointAPIRecords = try RawStatement(db, """
            UPDATE api_records SET play_played_at = ?6, play_item_id = ?7, play_variant = ?8
            WHERE user_id = ?1 AND kind = ?2 AND play_played_at = ?3 AND play_item_id = ?4 AND play_variant = ?5
            """)
        setMillis = try RawStatement(db, """
            UPDATE plays SET ms_played = ?6
            WHERE user_id = ?1 AND kind = ?2 AND played_at = ?3 AND item_id = ?4 AND variant = ?5
            """)
        markEstimated = try RawStatement(db, """
            INSERT OR IGNORE INTO estimated_plays (user_id, kind, played_at, item_id, variant) VALUES (?1, ?2, ?3, ?4, ?5)
            """)
        unmarkEstimated = try RawStatement(db, """
            DELETE FROM estimated_plays
            WHERE user_id = ?1 AND kind = ?2 AND played_at = ?3 AND item_id = ?4 AND variant = ?5
            """)
        deletePlay = try RawStatement(db, """
            DELETE FROM plays WHERE user_id = ?1 AND kind = ?2 AND played_at = ?3 AND item_id = ?4 AND variant = ?5
            """)
        var secondPrecision: [PlayKind: RawStatement] = [:], account: [PlayKind: RawStatement] = [:]
        var api: [PlayKind: RawStatement] = [:], extended: [PlayKind: RawStatement] = [:]
        for kind in PlayKind.allCases {
            let table = PlayKind.itemTable(kind), kindText = "'\(kind.rawValue)'"
            // For an account row of minute ?2 with match key ?3: stored extended plays of that
            // minute and API plays up to `apiWindow` after it, that no account row has claimed.
            secondPrecision[kind] = try RawStatement(db, """
                SELECT p.played_at, p.item_id, p.variant, p.ms_played,
                       EXISTS (SELECT 1 FROM estimated_plays e WHERE e.user_id = p.user_id AND e.played_at = p.played_at
                               AND e.kind = p.kind AND e.item_id = p.item_id AND e.variant = p.variant)
                FROM plays p JOIN \(table) i ON i.id = p.item_id
                WHERE p.user_id = ?1 AND p.played_at >= ?2 AND p.played_at < ?2 + \(Self.minute + Self.apiWindow)
                  AND p.kind = \(kindText) AND i.match_key = ?3
                  AND (p.source = 'api' OR (p.source = 'extended' AND p.played_at < ?2 + \(Self.minute)))
                  AND NOT EXISTS (SELECT 1 FROM account_records a WHERE a.user_id = p.user_id AND a.kind = p.kind
                                  AND a.play_played_at = p.played_at AND a.play_item_id = p.item_id
                                  AND a.play_variant = p.variant)
                """)
            // For a record of item ?3 ending at ?2 (extended: ?4 = 0; API: ?4 = the API window):
            // stored account plays whose minute holds the end time, of an item with its match key.
            account[kind] = try RawStatement(db, """
                SELECT p.played_at, p.item_id, p.variant, p.ms_played FROM plays p JOIN \(table) i ON i.id = p.item_id
                WHERE p.user_id = ?1 AND p.played_at > ?2 - \(Self.minute) - ?4 AND p.played_at <= ?2
                  AND p.kind = \(kindText) AND p.source = 'account'
                  AND i.match_key = (SELECT match_key FROM \(table) WHERE id = ?3)
                """)
            // Plays of source ?4 within the API window of ?2, of item ?3 or (when either item has
            // no Spotify URI) of an item with its match key.
            let sameItem = """
                (p.item_id = ?3 OR (i.match_key = (SELECT match_key FROM \(table) WHERE id = ?3)
                  AND (i.uri LIKE 'local:%' OR (SELECT uri LIKE 'local:%' FROM \(table) WHERE id = ?3))))
                """
            api[kind] = try RawStatement(db, """
                SELECT p.played_at, p.item_id, p.variant, p.ms_played FROM plays p JOIN \(table) i ON i.id = p.item_id
                WHERE p.user_id = ?1 AND p.played_at BETWEEN ?2 - \(Self.apiWindow) AND ?2 + \(Self.apiWindow)
                  AND p.kind = \(kindText) AND p.source = 'api' AND \(sameItem)
                """)
            extended[kind] = try RawStatement(db, """
                SELECT p.played_at, p.item_id, p.variant, p.ms_played FROM plays p JOIN \(table) i ON i.id = p.item_id
                WHERE p.user_id = ?1 AND p.played_at BETWEEN ?2 - \(Self.apiWindow) AND ?2 + \(Self.apiWindow)
                  AND p.kind = \(kindText) AND p.source = 'extended' AND \(sameItem)
                  AND NOT EXISTS (SELECT 1 FROM api_records a WHERE a.user_id = p.user_id AND a.kind = p.kind
                                  AND a.play_played_at = p.played_at AND a.play_item_id = p.item_id
                                  AND a.play_variant = p.variant)
                """)
        }
        secondPrecisionCandidates = secondPrecision
        accountCandidates = account
        apiCandidates = api
        extendedCandidates = extended
        try beginTransaction()
    }

    /// Reads the ranges again; call at the start of each write transaction.
    func beginTransaction() throws {
        selectRanges.bind(1, userID)
        defer { selectRanges.reset() }
        accountMinutes = nil
        apiTimes = nil
        guard try selectRanges.step() else { return }
        if !selectRanges.isNull(column: 0) { accountMinutes = selectRanges.int64(column: 0)...selectRanges.int64(column: 1) }
        if !selectRanges.isNull(column: 2) { apiTimes = selectRanges.int64(column: 2)...selectRanges.int64(column: 3) }
    }

    /// Whether a second-precision record ending at `endedAt` may have a stored twin.
    func mayHaveTwin(endedAt: Int64) -> Bool {
        accountMinutes.map { $0.upperBound > endedAt - Self.minute - Self.apiWindow && $0.lowerBound <= endedAt } == true
            || apiTimes.map { $0.upperBound >= endedAt - Self.apiWindow && $0.lowerBound <= endedAt + Self.apiWindow } == true
    }

    // MARK: - Finding twins

    /// The stored account play that a second-precision record (extended or API) of item `itemID`
    /// ending at `endedAt` is the twin of.
    func accountTwin(_ kind: PlayKind, endedAt: Int64, itemID: Int64, source: PlaySource, msPlayed: Int64) throws
        -> StoredPlay? {
        guard accountMinutes != nil else { return nil }
        let statement = accountCandidates[kind]!
        statement.bind(4, source == .api ? Self.apiWindow : 0)
        return try closest(statement, at: endedAt, bind: { $0.bind(3, itemID) }) { abs($0.msPlayed - msPlayed) }
    }

    /// The stored extended or API play that an account row is the twin of.
    func secondPrecisionTwin(_ kind: PlayKind, minute: Int64, matchKey: UnsafeBufferPointer<UInt8>, msPlayed: Int64) throws
        -> StoredPlay? {
        try closest(secondPrecisionCandidates[kind]!, at: minute, bind: { $0.bind(3, utf8: matchKey) }) {
            abs($0.msPlayed - msPlayed)
        }
    }

    /// The stored API play that an extended record is the twin of.
    func apiTwin(_ kind: PlayKind, endedAt: Int64, itemID: Int64) throws -> StoredPlay? {
        guard apiTimes != nil else { return nil }
        return try closest(apiCandidates[kind]!, at: endedAt, bind: { $0.bind(3, itemID) }) { abs($0.playedAt - endedAt) }
    }

    /// The stored extended play that an API play is the twin of.
    func extendedTwin(_ kind: PlayKind, endedAt: Int64, itemID: Int64) throws -> StoredPlay? {
        try closest(extendedCandidates[kind]!, at: endedAt, bind: { $0.bind(3, itemID) }) { abs($0.playedAt - endedAt) }
    }

    /// The candidate of `statement` (bound to the user and `at`) with the least `distance`.
    private func closest(_ statement: RawStatement, at instant: Int64, bind: (RawStatement) -> Void,
                         distance: (StoredPlay) -> Int64) throws -> StoredPlay? {
        statement.bind(1, userID)
        statement.bind(2, instant)
        bind(statement)
        defer { statement.reset() }
        var best: StoredPlay?
        while try statement.step() {
            var candidate = StoredPlay(playedAt: statement.int64(column: 0), itemID: statement.int64(column: 1),
                                       variant: statement.int64(column: 2), msPlayed: statement.int64(column: 3))
            if statement.columnCount > 4 { candidate.msEstimated = statement.int64(column: 4) != 0 }
            if best.map({ distance(candidate) < distance($0) }) ?? true { best = candidate }
        }
        return best
    }

    // MARK: - Remembering records

    /// Whether this account row was stored or merged before.
    func knowsAccountRow(_ kind: PlayKind, minute: Int64, itemID: Int64, msPlayed: Int64) throws -> Bool {
        selectAccountRecord.bind(1, userID)
        selectAccountRecord.bind(2, minute)
        selectAccountRecord.bind(3, utf8: kind.sqlText)
        selectAccountRecord.bind(4, itemID)
        selectAccountRecord.bind(5, msPlayed)
        return try selectAccountRecord.firstInt64() != nil
    }

    /// Remembers an account row as stored as, or merged into, `play`.
    func rememberAccountRow(_ kind: PlayKind, minute: Int64, itemID: Int64, msPlayed: Int64, as play: StoredPlay) throws {
        insertAccountRecord.bind(1, userID)
        insertAccountRecord.bind(2, minute)
        insertAccountRecord.bind(3, utf8: kind.sqlText)
        insertAccountRecord.bind(4, itemID)
        insertAccountRecord.bind(5, msPlayed)
        insertAccountRecord.bind(6, play.playedAt)
        insertAccountRecord.bind(7, play.itemID)
        insertAccountRecord.bind(8, play.variant)
        try insertAccountRecord.run()
        accountMinutes = Self.widened(accountMinutes, by: minute)
    }

    /// Whether this API play was merged into a stored play before.
    func knowsAPIPlay(_ kind: PlayKind, playedAt: Int64, itemID: Int64) throws -> Bool {
        selectAPIRecord.bind(1, userID)
        selectAPIRecord.bind(2, playedAt)
        selectAPIRecord.bind(3, utf8: kind.sqlText)
        selectAPIRecord.bind(4, itemID)
        return try selectAPIRecord.firstInt64() != nil
    }

    /// Remembers an API play as merged into `play`.
    func rememberAPIPlay(_ kind: PlayKind, playedAt: Int64, itemID: Int64, as play: StoredPlay) throws {
        insertAPIRecord.bind(1, userID)
        insertAPIRecord.bind(2, playedAt)
        insertAPIRecord.bind(3, utf8: kind.sqlText)
        insertAPIRecord.bind(4, itemID)
        insertAPIRecord.bind(5, play.playedAt)
        insertAPIRecord.bind(6, play.itemID)
        insertAPIRecord.bind(7, play.variant)
        try insertAPIRecord.run()
    }

    /// Notes a stored API play (its end time joins the range that is looked up).
    func storedAPIPlay(endedAt: Int64) { apiTimes = Self.widened(apiTimes, by: endedAt) }

    /// Deletes stored play `old`, which the play `new` (already stored) replaces: the records
    /// merged into `old` now name `new`. The caller takes `old` out of the rollups.
    func replace(_ kind: PlayKind, _ old: StoredPlay, with new: StoredPlay) throws {
        for statement in [repointAccountRecords, repointAPIRecords] {
            statement.bind(1, userID)
            statement.bind(2, utf8: kind.sqlText)
            statement.bind(3, old.playedAt)
            statement.bind(4, old.itemID)
            statement.bind(5, old.variant)
            statement.bind(6, new.playedAt)
            statement.bind(7, new.itemID)
            statement.bind(8, new.variant)
            try statement.run()
        }
        // The importer's connection does not enforce foreign keys, so the mark goes explicitly.
        bindKey(unmarkEstimated, kind, old)
        try unmarkEstimated.run()
        bindKey(deletePlay, kind, old)
        try deletePlay.run()
    }

    /// Gives stored play `play` the real length `millis` in place of its estimate.
    func setRealMillis(_ kind: PlayKind, of play: StoredPlay, to millis: Int64) throws {
        bindKey(setMillis, kind, play)
        setMillis.bind(6, millis)
        try setMillis.run()
        bindKey(unmarkEstimated, kind, play)
        try unmarkEstimated.run()
    }

    /// Notes that stored play `play` holds an estimate of its length.
    func markEstimated(_ kind: PlayKind, _ play: StoredPlay) throws {
        bindKey(markEstimated, kind, play)
        try markEstimated.run()
    }

    /// Binds ?1 to ?5 of `statement` to the key of `play` (user, kind, end time, item, variant).
    private func bindKey(_ statement: RawStatement, _ kind: PlayKind, _ play: StoredPlay) {
        statement.bind(1, userID)
        statement.bind(2, utf8: kind.sqlText)
        statement.bind(3, play.playedAt)
        statement.bind(4, play.itemID)
        statement.bind(5, play.variant)
    }

    private static func widened(_ range: ClosedRange<Int64>?, by value: Int64) -> ClosedRange<Int64> {
        range.map { min($0.lowerBound, value)...max($0.upperBound, value) } ?? value...value
    }
}

extension PlayKind {
    /// The catalogue table a play's `item_id` points into.
    static func itemTable(_ kind: PlayKind) -> String {
        switch kind {
        case .music: return "tracks"
        case .podcast: return "episodes"
        case .audiobook: return "chapters"
        }
    }
}
