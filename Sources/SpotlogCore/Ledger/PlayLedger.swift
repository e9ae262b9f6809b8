import GRDB

/// The one write path for plays, whatever their source: every play is stored once, the
/// catalogue grows with it, and the rollups change in the same transaction.
///
/// Overview of `Ledger/`:
/// - `PlayLedger` (here): stores `LedgerPlay` values (Web API plays, tests) and removes plays.
/// - `PlayWriter`: the engine. It takes parsed `RecordBatch`es, from the export importer's
///   parse threads (the fast path) or built here from `LedgerPlay`s, and applies the identity
///   and twin rules (`TwinRules`, which documents them), the catalogue (`CatalogueWriter`), the
///   many-row inserts (`PlayInserter`) and the rollups (`RollupAccumulator`).
/// - `ItemDetails`: what the Web API adds to the catalogue (ordered artists with URIs, album
///   URI and release date, duration, ISRC), replacing `local:` placeholders.
/// - `PlayRemoval`: removing a time range of plays or a whole user, rollups kept exact.
///
/// Its interface speaks of users, plays and time ranges only, so that another store could
/// stand behind it; today it is SQLite, through `SpotlogDatabase`.
public struct PlayLedger: Sendable {
    private let database: SpotlogDatabase

    public init(database: SpotlogDatabase) { self.database = database }

    /// Stores `plays` of user `userID` in one transaction: what each record did (inserted, a
    /// duplicate, merged with its twin, or skipped as implausible at `now`).
    public func record(_ plays: [LedgerPlay], userID: Int64, now: EpochMillis = .now()) throws -> FileCounts {
        try database.writer.write { db in try Self.record(plays, userID: userID, now: now, in: db) }
    }

    /// `record` inside the caller's write transaction.
    static func record(_ plays: [LedgerPlay], userID: Int64, now: EpochMillis, in db: Database) throws -> FileCounts {
        let plausible = PlausiblePlay(now: now)
        let batch = RecordBatch()
        var accepted: [LedgerPlay] = []
        for play in plays {
            batch.recordsRead += 1
            if let reason = plausible.rejection(endedAt: play.endedAt, msPlayed: play.storedMillis) {
                batch.skipped[reason, default: 0] += 1
                continue
            }
            batch.records.append(Self.record(play, in: batch))
            batch.earliest = min(batch.earliest ?? play.endedAt, play.endedAt)
            batch.latest = max(batch.latest ?? play.endedAt, play.endedAt)
            accepted.append(play)
        }
        let writer = try PlayWriter(db, userID: userID, cache: CatalogueCache())
        var counts = FileCounts(), itemIDs: [Int64] = []
        try writer.write(batch, into: &counts) { itemIDs.append($0) }
        try writer.finishFile(counts: &counts)
        try writer.applyRollups(db)
        let details = try ItemDetails(db)
        for (play, itemID) in zip(accepted, itemIDs) { try details.store(play.item, of: play.kind, itemID: itemID) }
        return counts
    }

    /// `play` as the engine's record, its strings in `batch`'s arena.
    private static func record(_ play: LedgerPlay, in batch: RecordBatch) -> PlayRecord {
        let item = play.item, creator = item.creators.first
        var record = PlayRecord(kind: play.kind, source: play.source, endedAt: play.endedAt, msPlayed: play.storedMillis)
        record.msEstimated = play.played == .unknown
        func text(_ value: String?) -> ArenaSlice { value.map { batch.append(Array($0.utf8)) } ?? .null }
        let album = play.kind == .music ? item.albumName : nil
        record.itemURI = text(item.uri ?? IdentityKey.localURI([creator?.name ?? "", item.name, album ?? ""]))
        record.itemName = text(item.name)
        record.creatorName = text(creator?.name)
        record.albumName = text(album)
        record.albumURI = text(play.kind == .music ? item.albumURI : nil)
        record.creatorURI = text(play.kind == .audiobook ? creator?.uri : nil)
        record.matchKey = text(IdentityKey.matchKey(creator: creator?.name ?? "", item: item.name))
        record.searchText = text(IdentityKey.searchText([item.name, creator?.name, album]))
        return record
    }

    /// Removes user `userID`'s plays that ended in `range` (all of them when `nil`), with the
    /// records merged into them; the rollups stay equal to a rebuild. The number removed.
    @discardableResult
    public func removePlays(userID: Int64, endedIn range: Range<EpochMillis>? = nil) throws -> Int {
        try database.writer.write { db in try PlayRemoval.removePlays(userID: userID, endedIn: range, in: db) }
    }

    /// Removes user `userID` and everything of theirs (plays, tokens, sync state, jobs, imports,
    /// logs), then the catalogue rows no one refers to any more.
    public func removeUser(_ userID: Int64) throws {
        try database.writer.write { db in try PlayRemoval.removeUser(userID, in: db) }
    }
}
