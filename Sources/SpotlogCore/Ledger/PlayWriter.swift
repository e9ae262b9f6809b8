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

/// Writes plays for one user inside the caller's transaction, exactly once: the ledger's
/// engine, fed parsed batches by the export importer and by `PlayLedger`.
///
/// A play already stored (same user, end time, item and variant) is a duplicate; records of
/// the same play from other sources are merged by `TwinRules`. Second-precision plays with no
/// possible twin are queued and written many per statement (`PlayInserter`); every stored or
/// removed play reaches the rollups in the same transaction.
final class PlayWriter {
    private let userID: Int64
    private let catalogue: CatalogueWriter
    private let plays: PlayInserter
    private let twins: TwinRules
    /// The rollup changes of the file being written, and those of the files written before it
    /// that are not committed yet.
    private let rollups, uncommittedRollups: RollupAccumulator

    init(_ db: Database, userID: Int64, cache: CatalogueCache) throws {
        self.userID = userID
        catalogue = try CatalogueWriter(db, cache: cache)
        rollups = RollupAccumulator(userID: userID)
        uncommittedRollups = RollupAccumulator(userID: userID)
        plays = try PlayInserter(db, userID: userID, rollups: rollups)
        twins = try TwinRules(db, userID: userID)
    }

    /// Writes the plays still queued; the file's rollup changes join those to commit.
    func finishFile(counts: inout FileCounts) throws {
        try count(plays.flush(), into: &counts)
        uncommittedRollups.absorb(rollups)
    }

    /// Reads what other connections committed; call at the start of each transaction after
    /// the first.
    func beginTransaction() throws {
        try plays.beginTransaction()
        try twins.beginTransaction()
    }

    /// Applies the rollup changes of the files written since the last commit; call just before
    /// their transaction commits.
    func applyRollups(_ db: Database) throws { try uncommittedRollups.flush(db) }

    /// Forgets the queued plays and rollup changes of a file whose transaction rolled back.
    func abandonFile() {
        plays.discardQueue()
        rollups.discard()
    }

    /// Writes every record of `batch`, adding what happened to `counts`. Plays may stay queued
    /// until the next batch or `finishFile`. `itemIDs`, when given, collects each record's item.
    func write(_ batch: RecordBatch, into counts: inout FileCounts, itemIDs: ((Int64) -> Void)? = nil) throws {
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
            itemIDs?(ids.item)
            switch record.source {
            case .account:
                try count(plays.flush(), into: &counts)
                try writeAccount(record, ids: ids, batch: batch, counts: &counts)
            case .api:
                try count(plays.flush(), into: &counts)
                try writeAPI(record, ids: ids, counts: &counts)
            case .extended where twins.mayHaveTwin(endedAt: record.endedAt):
                try count(plays.flush(), into: &counts)
                try writeExtendedReplacingTwin(record, ids: ids, counts: &counts)
            case .extended:
                if let written = try plays.enqueue(record, ids: ids) { count(written, into: &counts) }
            }
        }
        for kind in PlayKind.allCases where kinds[kind.index] > 0 { counts.byKind[kind, default: 0] += kinds[kind.index] }
    }

    private func count(_ written: (written: Int, new: Int), into counts: inout FileCounts) {
        counts.inserted += written.new
        counts.duplicates += written.written - written.new
    }

    /// Stores an extended play, which replaces the stored account play and the stored API play
    /// that are its twins (both, when they were not merged with each other).
    private func writeExtendedReplacingTwin(_ record: PlayRecord, ids: PlayIDs, counts: inout FileCounts) throws {
        guard let variant = try plays.variant(forSecondPrecision: record, itemID: ids.item),
              try plays.insert(record, ids: ids, variant: variant) else {
            counts.duplicates += 1
            return
        }
        let stored = TwinRules.StoredPlay(playedAt: record.endedAt, itemID: ids.item, variant: variant, msPlayed: record.msPlayed)
        var merged = false
        if let twin = try twins.accountTwin(record.kind, endedAt: record.endedAt, itemID: ids.item, source: .extended,
                                            msPlayed: record.msPlayed) {
            try replace(twin, source: .account, by: stored, kind: record.kind)
            merged = true
        }
        if let twin = try twins.apiTwin(record.kind, endedAt: record.endedAt, itemID: ids.item) {
            try twins.rememberAPIPlay(record.kind, playedAt: twin.playedAt, itemID: twin.itemID, as: stored)
            try replace(twin, source: .api, by: stored, kind: record.kind)
            merged = true
        }
        if merged { counts.merged += 1 } else { counts.inserted += 1 }
    }

    /// Stores a Web API play, unless it was merged before or its extended twin is stored (then
    /// it is remembered as merged into it); it replaces a stored account play that is its twin.
    private func writeAPI(_ record: PlayRecord, ids: PlayIDs, counts: inout FileCounts) throws {
        if try twins.knowsAPIPlay(record.kind, playedAt: record.endedAt, itemID: ids.item) {
            counts.duplicates += 1
            return
        }
        if let twin = try twins.extendedTwin(record.kind, endedAt: record.endedAt, itemID: ids.item) {
            try twins.rememberAPIPlay(record.kind, playedAt: record.endedAt, itemID: ids.item, as: twin)
            counts.merged += 1
            return
        }
        guard try plays.insert(record, ids: ids, variant: 0) else {
            counts.duplicates += 1
            return
        }
        twins.storedAPIPlay(endedAt: record.endedAt)
        let stored = TwinRules.StoredPlay(playedAt: record.endedAt, itemID: ids.item, variant: 0, msPlayed: record.msPlayed,
                                          msEstimated: record.msEstimated)
        if record.msEstimated { try twins.markEstimated(record.kind, stored) }
        if let twin = try twins.accountTwin(record.kind, endedAt: record.endedAt, itemID: ids.item, source: .api,
                                            msPlayed: record.msPlayed) {
            try replace(twin, source: .account, by: stored, kind: record.kind)
            // The account row knew how long the play lasted: the API play keeps that, not its estimate.
            try adoptRealMillis(twin.msPlayed, for: stored, kind: record.kind)
            counts.merged += 1
        } else {
            counts.inserted += 1
        }
    }

    /// Gives `play` (a stored API play) the real length `millis` when it holds an estimate.
    private func adoptRealMillis(_ millis: Int64, for play: TwinRules.StoredPlay, kind: PlayKind) throws {
        guard play.msEstimated else { return }
        try twins.setRealMillis(kind, of: play, to: millis)
        // API plays carry no skip data.
        rollups.remove(kind: kind, item: play.itemID, source: .api, playedAt: play.playedAt, millis: play.msPlayed, skipped: nil)
        rollups.add(kind: kind, item: play.itemID, source: .api, playedAt: play.playedAt, millis: millis, skipped: nil)
    }

    /// Deletes the stored `twin` of source `source`, which the just-stored play `stored` replaces.
    private func replace(_ twin: TwinRules.StoredPlay, source: PlaySource, by stored: TwinRules.StoredPlay,
                         kind: PlayKind) throws {
        try twins.replace(kind, twin, with: stored)
        // Only API and account plays are replaced, and neither carries skip data.
        rollups.remove(kind: kind, item: twin.itemID, source: source, playedAt: twin.playedAt, millis: twin.msPlayed,
                       skipped: nil)
    }

    /// Stores an account row as its own play, unless it was stored before or its extended or
    /// API twin is stored (then it is remembered as merged into it).
    private func writeAccount(_ record: PlayRecord, ids: PlayIDs, batch: RecordBatch, counts: inout FileCounts) throws {
        if try twins.knowsAccountRow(record.kind, minute: record.endedAt, itemID: ids.item, msPlayed: record.msPlayed) {
            counts.duplicates += 1
            return
        }
        let play: TwinRules.StoredPlay
        if let twin = try batch.withBytes(record.matchKey, { key in
            try twins.secondPrecisionTwin(record.kind, minute: record.endedAt, matchKey: key, msPlayed: record.msPlayed)
        }) {
            play = twin
            try adoptRealMillis(record.msPlayed, for: twin, kind: record.kind)
            counts.merged += 1
        } else {
            guard try plays.insert(record, ids: ids, variant: record.msPlayed) else {
                throw SpotlogError.failure("account play collided with a stored play")
            }
            play = .init(playedAt: record.endedAt, itemID: ids.item, variant: record.msPlayed, msPlayed: record.msPlayed)
            counts.inserted += 1
        }
        try twins.rememberAccountRow(record.kind, minute: record.endedAt, itemID: ids.item, msPlayed: record.msPlayed,
                                     as: play)
    }
}
