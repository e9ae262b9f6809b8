import GRDB

/// What happened to the records of one history file.
public struct FileCounts: Sendable, Equatable {
    public var recordsRead = 0
    public var inserted = 0
    public var duplicates = 0
    public var merged = 0
    public var skipped: [SkipReason: Int] = [:]
    public var byKind: [PlayKind: Int] = [:]
    public var earliest: EpochMillis?
    public var latest: EpochMillis?

    public init() {}

    public mutating func add(_ other: FileCounts) {
        recordsRead += other.recordsRead
        inserted += other.inserted
        duplicates += other.duplicates
        merged += other.merged
        skipped.merge(other.skipped, uniquingKeysWith: +)
        byKind.merge(other.byKind, uniquingKeysWith: +)
        earliest = [earliest, other.earliest].compactMap { $0 }.min()
        latest = [latest, other.latest].compactMap { $0 }.max()
    }
}

/// Writes normalised plays for one user inside the caller's transaction, exactly once:
///
/// - a play already stored (same user, end time, item and variant) is a duplicate;
/// - an account-data row (minute precision, names only) that matches a stored extended or API
///   play of the same item ending in that minute is merged into it, and an extended play that
///   matches a stored account-data play replaces it: the richer record wins. Matching is one to
///   one and prefers equal `ms_played`. `account_records` remembers every account row, so a
///   re-import recognises it after a merge.
final class PlayWriter {
    private let userID: Int64
    private let catalogue: CatalogueWriter
    private let plays: PlayInserter
    /// The rollup changes of the file being written, and those of the files written before it
    /// that are not committed yet.
    private let rollups, uncommittedRollups: RollupAccumulator
    private let selectAccountRecord, insertAccountRecord, repointAccountRecords, deletePlay: RawStatement
    private let extendedCandidates: [PlayKind: RawStatement]
    private let accountCandidates: [PlayKind: RawStatement]
    /// The minutes covered by this user's account-data rows: extended plays outside it cannot
    /// replace one, so they skip the lookup.
    private var accountMinutes: ClosedRange<Int64>?

    init(_ db: Database, userID: Int64, cache: CatalogueCache) throws {
        self.userID = userID
        catalogue = try CatalogueWriter(db, cache: cache)
        rollups = RollupAccumulator(userID: userID)
        uncommittedRollups = RollupAccumulator(userID: userID)
        plays = try PlayInserter(db, userID: userID, rollups: rollups)
        selectAccountRecord = try RawStatement(db, """
            SELECT 1 FROM account_records
            WHERE user_id = ?1 AND ended_minute = ?2 AND kind = ?3 AND item_id = ?4 AND ms_played = ?5
            """)
        insertAccountRecord = try RawStatement(db, """
            INSERT INTO account_records (user_id, ended_minute, kind, item_id, ms_played, play_played_at, play_item_id,
                                         play_variant)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
        // Moves the account rows of play (?3, ?4, ?5) to play (?6, ?7, ?8), both of kind ?2.
        repointAccountRecords = try RawStatement(db, """
            UPDATE account_records SET play_played_at = ?6, play_item_id = ?7, play_variant = ?8
            WHERE user_id = ?1 AND kind = ?2 AND play_played_at = ?3 AND play_item_id = ?4 AND play_variant = ?5
            """)
        deletePlay = try RawStatement(db, """
            DELETE FROM plays WHERE user_id = ?1 AND kind = ?2 AND played_at = ?3 AND item_id = ?4 AND variant = ?5
            """)
        var extended: [PlayKind: RawStatement] = [:], account: [PlayKind: RawStatement] = [:]
        for kind in PlayKind.allCases {
            let table = Self.itemTable(kind)
            // Stored second-precision plays in the minute, of an item with the same match key,
            // that no account row has claimed yet.
            extended[kind] = try RawStatement(db, """
                SELECT p.played_at, p.item_id, p.variant, p.ms_played FROM plays p JOIN \(table) i ON i.id = p.item_id
                WHERE p.user_id = ?1 AND p.played_at >= ?2 AND p.played_at < ?2 + 60000 AND p.kind = '\(kind.rawValue)'
                  AND p.source != 'account' AND i.match_key = ?3
                  AND NOT EXISTS (SELECT 1 FROM account_records a WHERE a.user_id = p.user_id AND a.kind = p.kind
                                  AND a.play_played_at = p.played_at AND a.play_item_id = p.item_id
                                  AND a.play_variant = p.variant)
                """)
            // Stored account-data plays of that minute whose item has the match key of item ?3.
            account[kind] = try RawStatement(db, """
                SELECT p.played_at, p.item_id, p.variant, p.ms_played FROM plays p JOIN \(table) i ON i.id = p.item_id
                WHERE p.user_id = ?1 AND p.played_at = ?2 AND p.kind = '\(kind.rawValue)' AND p.source = 'account'
                  AND i.match_key = (SELECT match_key FROM \(table) WHERE id = ?3)
                """)
        }
        extendedCandidates = extended
        accountCandidates = account
        // Two subqueries: SQLite reads a lone min() or max() from the key's ends, but scans
        // every row for both at once.
        let range = try Row.fetchOne(db, sql: """
            SELECT (SELECT min(ended_minute) FROM account_records WHERE user_id = ?1),
                   (SELECT max(ended_minute) FROM account_records WHERE user_id = ?1)
            """, arguments: [userID])
        if let low: Int64 = range?[0], let high: Int64 = range?[1] { accountMinutes = low...high }
    }

    /// The catalogue table a play's `item_id` points into.
    static func itemTable(_ kind: PlayKind) -> String {
        switch kind {
        case .music: return "tracks"
        case .podcast: return "episodes"
        case .audiobook: return "chapters"
        }
    }

    /// Writes the plays still queued; the file's rollup changes join those to commit.
    func finishFile(counts: inout FileCounts) throws {
        try count(plays.flush(), into: &counts)
        uncommittedRollups.absorb(rollups)
    }

    /// Notes which plays are stored; call at the start of each transaction after the first.
    func beginTransaction() throws { try plays.beginTransaction() }

    /// Applies the rollup changes of the files written since the last commit; call just before
    /// their transaction commits.
    func applyRollups(_ db: Database) throws { try uncommittedRollups.flush(db) }

    /// Forgets the queued plays and rollup changes of a file whose transaction rolled back.
    func abandonFile() {
        plays.discardQueue()
        rollups.discard()
    }

    /// Writes every record of `batch`, adding what happened to `counts`. Plays may stay queued
    /// until the next batch or `finishFile`.
    func write(_ batch: RecordBatch, into counts: inout FileCounts) throws {
        counts.recordsRead += batch.recordsRead
        counts.skipped.merge(batch.skipped, uniquingKeysWith: +)
        if let earliest = batch.earliest { counts.earliest = min(counts.earliest ?? earliest, earliest) }
        if let latest = batch.latest { counts.latest = max(counts.latest ?? latest, latest) }
        var kinds = [0, 0, 0]
        for record in batch.records {
            kinds[record.kind.index] += 1
            if record.repeatsPrevious {
                counts.duplicates += 1
                continue
            }
            let ids = PlayIDs(item: try catalogue.itemID(for: record, in: batch),
                              context: try catalogue.contextID(for: record, in: batch))
            if record.source == .account {
                try count(plays.flush(), into: &counts)
                try writeAccount(record, ids: ids, batch: batch, counts: &counts)
            } else if let accountMinutes, accountMinutes.contains(record.endedAt.floorDivided(by: 60_000) * 60_000) {
                try count(plays.flush(), into: &counts)
                try writeMaybeReplacingAccountPlay(record, ids: ids, counts: &counts)
            } else if let written = try plays.enqueue(record, ids: ids) {
                count(written, into: &counts)
            }
        }
        for kind in PlayKind.allCases where kinds[kind.index] > 0 { counts.byKind[kind, default: 0] += kinds[kind.index] }
    }

    private func count(_ written: (written: Int, new: Int), into counts: inout FileCounts) {
        counts.inserted += written.new
        counts.duplicates += written.written - written.new
    }

    /// Inserts a second-precision play that may be the richer twin of a stored account-data play,
    /// which it then replaces.
    private func writeMaybeReplacingAccountPlay(_ record: PlayRecord, ids: PlayIDs, counts: inout FileCounts) throws {
        guard try plays.insert(record, ids: ids, variant: 0) else {
            counts.duplicates += 1
            return
        }
        let minute = record.endedAt.floorDivided(by: 60_000) * 60_000
        if let twin = try bestCandidate(accountCandidates[record.kind]!, minute: minute, key: .id(ids.item),
                                        msPlayed: record.msPlayed) {
            repointAccountRecords.bind(1, userID)
            repointAccountRecords.bind(2, utf8: record.kind.sqlText)
            repointAccountRecords.bind(3, twin.playedAt)
            repointAccountRecords.bind(4, twin.itemID)
            repointAccountRecords.bind(5, twin.variant)
            repointAccountRecords.bind(6, record.endedAt)
            repointAccountRecords.bind(7, ids.item)
            repointAccountRecords.bind(8, 0)
            try repointAccountRecords.run()
            deletePlay.bind(1, userID)
            deletePlay.bind(2, utf8: record.kind.sqlText)
            deletePlay.bind(3, twin.playedAt)
            deletePlay.bind(4, twin.itemID)
            deletePlay.bind(5, twin.variant)
            try deletePlay.run()
            rollups.remove(kind: record.kind, item: twin.itemID, source: .account, playedAt: twin.playedAt,
                           millis: twin.msPlayed)
            counts.merged += 1
        } else {
            counts.inserted += 1
        }
    }

    private func writeAccount(_ record: PlayRecord, ids: PlayIDs, batch: RecordBatch, counts: inout FileCounts) throws {
        let itemID = ids.item
        selectAccountRecord.bind(1, userID)
        selectAccountRecord.bind(2, record.endedAt)
        selectAccountRecord.bind(3, utf8: record.kind.sqlText)
        selectAccountRecord.bind(4, itemID)
        selectAccountRecord.bind(5, record.msPlayed)
        if try selectAccountRecord.firstInt64() != nil {
            counts.duplicates += 1
            return
        }
        let play: Candidate
        if let twin = try batch.withBytes(record.matchKey, { key in
            try bestCandidate(extendedCandidates[record.kind]!, minute: record.endedAt, key: .matchKey(key),
                              msPlayed: record.msPlayed)
        }) {
            play = twin
            counts.merged += 1
        } else {
            guard try plays.insert(record, ids: ids, variant: record.msPlayed) else {
                throw SpotlogError.failure("account play collided with a stored play")
            }
            play = Candidate(playedAt: record.endedAt, itemID: itemID, variant: record.msPlayed, msPlayed: record.msPlayed)
            counts.inserted += 1
        }
        insertAccountRecord.bind(1, userID)
        insertAccountRecord.bind(2, record.endedAt)
        insertAccountRecord.bind(3, utf8: record.kind.sqlText)
        insertAccountRecord.bind(4, itemID)
        insertAccountRecord.bind(5, record.msPlayed)
        insertAccountRecord.bind(6, play.playedAt)
        insertAccountRecord.bind(7, play.itemID)
        insertAccountRecord.bind(8, play.variant)
        try insertAccountRecord.run()
        accountMinutes = accountMinutes.map { min($0.lowerBound, record.endedAt)...max($0.upperBound, record.endedAt) }
            ?? record.endedAt...record.endedAt
    }

    private enum CandidateKey {
        case id(Int64)
        case matchKey(UnsafeBufferPointer<UInt8>)
    }

    /// A stored play that may be the same as a record from another source: its key (with the
    /// user and kind) and its milliseconds.
    private struct Candidate {
        let playedAt: Int64
        let itemID: Int64
        let variant: Int64
        let msPlayed: Int64
    }

    /// The candidate play with the closest `ms_played` (equal first), or `nil`.
    private func bestCandidate(_ statement: RawStatement, minute: Int64, key: CandidateKey, msPlayed: Int64) throws
        -> Candidate? {
        statement.bind(1, userID)
        statement.bind(2, minute)
        switch key {
        case .id(let id): statement.bind(3, id)
        case .matchKey(let bytes): statement.bind(3, utf8: bytes)
        }
        defer { statement.reset() }
        var best: Candidate?
        while try statement.step() {
            let candidate = Candidate(playedAt: statement.int64(column: 0), itemID: statement.int64(column: 1),
                                      variant: statement.int64(column: 2), msPlayed: statement.int64(column: 3))
            if best == nil || abs(candidate.msPlayed - msPlayed) < abs(best!.msPlayed - msPlayed) { best = candidate }
        }
        return best
    }
}
