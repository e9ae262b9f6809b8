import Foundation
import GRDB

/// Collects the rollup changes of the plays written in one transaction and applies them to the
/// rollup tables before it commits, so rollups never disagree with `plays`.
final class RollupAccumulator {
    /// Keys: totals by (kind, item); days by (day, kind and source); months are `MonthRollup`'s.
    /// Kinds and sources are stored as their indexes.
    private static func itemKey(kind: PlayKind, item: Int64) -> RollupKey { RollupKey(high: Int64(kind.index), low: item) }
    private static func dayKey(_ day: Int64, kind: PlayKind, source: PlaySource) -> RollupKey {
        RollupKey(high: day, low: Int64(kind.index) << 2 | Int64(source.index))
    }

    private struct ItemDelta {
        var plays: Int64 = 0
        var millis: Int64 = 0
        var first = Int64.max
        var last = Int64.min

        mutating func merge(_ other: ItemDelta) {
            plays += other.plays
            millis += other.millis
            first = min(first, other.first)
            last = max(last, other.last)
        }

        mutating func add(millis played: Int64, at playedAt: Int64, sign: Int64) {
            plays += sign
            millis += sign * played
            if sign > 0 {
                first = min(first, playedAt)
                last = max(last, playedAt)
            }
        }
    }

    /// A day's totals; its quarter-hours are in `quarterPlays` and `quarterMillis`.
    private struct DayDelta {
        var plays: Int64 = 0
        var millis: Int64 = 0
        var countedPlays: Int64 = 0
        var countedMillis: Int64 = 0

        mutating func merge(_ other: DayDelta) {
            plays += other.plays
            millis += other.millis
            countedPlays += other.countedPlays
            countedMillis += other.countedMillis
        }

        /// Adds a play; `counted` when it is long enough to count.
        mutating func add(millis played: Int64, counted: Bool, sign: Int64) {
            plays += sign
            millis += sign * played
            guard counted else { return }
            countedPlays += sign
            countedMillis += sign * played
        }
    }

    private let userID: Int64
    private var totals = RollupKeyIndex(), totalDeltas: [ItemDelta] = []
    private var months = MonthRollup()
    private var days = RollupKeyIndex(), dayDeltas: [DayDelta] = []
    /// Counted plays and milliseconds per quarter-hour of each day, 96 from `position * 96`.
    private var quarterPlays: [Int64] = [], quarterMillis: [Int64] = []
    /// The day of the last play, whose delta the next play most likely shares (files are in
    /// time order).
    private var lastDay: (key: RollupKey, position: Int)?
    /// Items that lost a counted play, whose first and last play must be recomputed.
    private var shrunk: [RollupKey] = []
    /// Counted plays added to the day at `dayPosition`, which join its sessions (`play_spans`).
    private var addedPlays: [(dayPosition: Int, play: ListeningSession)] = []
    /// Days that lost a counted play, whose sessions are read again from `plays`.
    private var shrunkDays: Set<Int> = []

    /// Prepared on the first flush, on the connection it flushes to; an accumulator whose
    /// changes are only absorbed by another never prepares any.
    private var statements: RollupStatements?

    init(userID: Int64) {
        self.userID = userID
    }

    /// Records a stored play; `skipped` is what its record said (`nil`: nothing, as from the
    /// Web API and account data).
    func add(kind: PlayKind, item: Int64, source: PlaySource, playedAt: Int64, millis: Int64, skipped: Bool?) {
        change(kind: kind, item: item, source: source, playedAt: playedAt, millis: millis, skipped: skipped, sign: 1)
    }

    /// Records a deleted play.
    func remove(kind: PlayKind, item: Int64, source: PlaySource, playedAt: Int64, millis: Int64, skipped: Bool?) {
        change(kind: kind, item: item, source: source, playedAt: playedAt, millis: millis, skipped: skipped, sign: -1)
        if millis >= Rollups.countedMillis { shrunk.append(Self.itemKey(kind: kind, item: item)) }
    }

    private func change(kind: PlayKind, item: Int64, source: PlaySource, playedAt: Int64, millis: Int64, skipped: Bool?,
                        sign: Int64) {
        let day = playedAt.floorDivided(by: Rollups.millisPerDay)
        let counted = millis >= Rollups.countedMillis
        let quarter = Int((playedAt - day * Rollups.millisPerDay) / Rollups.millisPerQuarter)
        let dayKey = Self.dayKey(day, kind: kind, source: source)
        let dayPosition: Int
        if let lastDay, lastDay.key == dayKey {
            dayPosition = lastDay.position
        } else {
            dayPosition = self.dayPosition(of: dayKey)
            lastDay = (dayKey, dayPosition)
        }
        dayDeltas[dayPosition].add(millis: millis, counted: counted, sign: sign)
        months.change(day: day, quarter: quarter, kind: kind, item: item, millis: millis, skipped: skipped, sign: sign)
        guard counted else { return }
        if sign > 0 {
            addedPlays.append((dayPosition, ListeningSession(start: playedAt - millis, end: playedAt, plays: 1)))
        } else {
            shrunkDays.insert(dayPosition)
        }
        quarterPlays[dayPosition * Rollups.quartersPerDay + quarter] += sign
        quarterMillis[dayPosition * Rollups.quartersPerDay + quarter] += sign * millis
        let total = Self.position(of: Self.itemKey(kind: kind, item: item), in: &totals, deltas: &totalDeltas,
                                  empty: ItemDelta())
        totalDeltas[total].add(millis: millis, at: playedAt, sign: sign)
    }

    /// Adds each day's 96 quarters in `source` to those of day `positions[day]` in `target`.
    private static func addQuarters(_ source: [Int64], to target: inout [Int64], at positions: [Int]) {
        let count = Rollups.quartersPerDay
        source.withUnsafeBufferPointer { source in
            target.withUnsafeMutableBufferPointer { target in
                for (day, position) in positions.enumerated() {
                    let from = source.baseAddress! + day * count, to = target.baseAddress! + position * count
                    for quarter in 0..<count { to[quarter] += from[quarter] }
                }
            }
        }
    }

    /// The position of a day key, added (with its quarters) when new.
    private func dayPosition(of key: RollupKey) -> Int {
        let position = days.position(of: key)
        if position == dayDeltas.count {
            dayDeltas.append(DayDelta())
            quarterPlays.append(contentsOf: repeatElement(0, count: Rollups.quartersPerDay))
            quarterMillis.append(contentsOf: repeatElement(0, count: Rollups.quartersPerDay))
        }
        return position
    }

    @inline(__always)
    private static func position<Delta>(of key: RollupKey, in index: inout RollupKeyIndex, deltas: inout [Delta],
                                        empty: @autoclosure () -> Delta) -> Int {
        let position = index.position(of: key)
        if position == deltas.count { deltas.append(empty()) }
        return position
    }

    /// Takes over everything `other` collected (a file's changes joining those of the files
    /// committed with it); `other` starts empty.
    func absorb(_ other: RollupAccumulator) {
        for (key, delta) in zip(other.totals.keys, other.totalDeltas) {
            totalDeltas[Self.position(of: key, in: &totals, deltas: &totalDeltas, empty: ItemDelta())].merge(delta)
        }
        months.absorb(&other.months)
        let positions = other.days.keys.map(dayPosition(of:))
        for (otherPosition, position) in positions.enumerated() {
            dayDeltas[position].merge(other.dayDeltas[otherPosition])
        }
        Self.addQuarters(other.quarterPlays, to: &quarterPlays, at: positions)
        Self.addQuarters(other.quarterMillis, to: &quarterMillis, at: positions)
        addedPlays += other.addedPlays.map { (positions[$0.dayPosition], $0.play) }
        shrunkDays.formUnion(other.shrunkDays.map { positions[$0] })
        shrunk += other.shrunk
        other.discard()
    }

    /// Forgets what was collected (its transaction rolled back).
    func discard() {
        totals.removeAll()
        totalDeltas.removeAll(keepingCapacity: true)
        months.discard()
        days.removeAll()
        dayDeltas.removeAll(keepingCapacity: true)
        quarterPlays.removeAll(keepingCapacity: true)
        quarterMillis.removeAll(keepingCapacity: true)
        lastDay = nil
        shrunk = []
        addedPlays.removeAll(keepingCapacity: true)
        shrunkDays = []
    }

    /// Applies everything collected to the rollup tables, then starts empty.
    func flush(_ db: Database) throws {
        defer { discard() }
        let statements = try self.statements ?? RollupStatements(userID: userID, db: db)
        self.statements = statements
        try flushTotals(db, statements.upsertTotals)
        try months.flush(userID: userID, statements, in: db)
        try flushDays(statements)
    }

    /// Positions of `keys` in key order, which is (nearly) the order of the rollup tables'
    /// primary keys: rows written in that order go to neighbouring places in the table.
    private static func keyOrder(_ keys: [RollupKey]) -> [Int] {
        keys.indices.sorted { keys[$0].high != keys[$1].high ? keys[$0].high < keys[$1].high : keys[$0].low < keys[$1].low }
    }

    private func flushTotals(_ db: Database, _ upsertTotals: BatchedInsert) throws {
        for position in Self.keyOrder(totals.keys) {
            let key = totals.keys[position], delta = totalDeltas[position]
            guard delta.plays != 0 || delta.millis != 0 else { continue }
            try upsertTotals.add(.text(PlayKind.allCases[Int(key.high)].sqlText), .int(key.low), .int(delta.plays),
                                 .int(delta.millis), .int(delta.first), .int(delta.last))
        }
        try upsertTotals.finish()
        guard !shrunk.isEmpty else { return }
        // Items that lost plays: drop emptied rows, and recompute first and last play in one pass.
        try db.execute(sql: "DELETE FROM play_totals WHERE user_id = ? AND plays <= 0", arguments: [userID])
        let keys = shrunk.map { "('\(PlayKind.allCases[Int($0.high)].rawValue)', \($0.low))" }.joined(separator: ", ")
        try db.execute(sql: """
            WITH bounds AS (
              SELECT kind, item_id, min(played_at) AS first, max(played_at) AS last FROM plays
              WHERE user_id = ?1 AND ms_played >= \(Rollups.countedMillis) AND (kind, item_id) IN (VALUES \(keys))
              GROUP BY kind, item_id)
            UPDATE play_totals SET first_played_at = bounds.first, last_played_at = bounds.last
            FROM bounds WHERE play_totals.user_id = ?1 AND play_totals.kind = bounds.kind
              AND play_totals.item_id = bounds.item_id
            """, arguments: [userID])
    }

    /// Adds the day deltas to the stored days, which are read in one range scan; the results
    /// are written many rows per statement.
    private func flushDays(_ statements: RollupStatements) throws {
        let selectDays = statements.selectDays
        guard let lowest = days.keys.map(\.high).min(), let highest = days.keys.map(\.high).max() else { return }
        // Stored days join the deltas, which then hold each touched day's totals.
        var sums = dayDeltas.map { [$0.plays, $0.millis, $0.countedPlays, $0.countedMillis] }
        var stored = [Bool](repeating: false, count: days.count)
        var sessions = [[ListeningSession]](repeating: [], count: days.count)
        selectDays.bind(2, lowest)
        selectDays.bind(3, highest)
        while try selectDays.step() {
            guard let kind = PlayKind(rawValue: selectDays.text(column: 1)),
                  let source = PlaySource(rawValue: selectDays.text(column: 2)),
                  let position = days.existingPosition(of: Self.dayKey(selectDays.int64(column: 0), kind: kind,
                                                                       source: source)) else { continue }
            for column in 0..<4 { sums[position][column] += selectDays.int64(column: Int32(column + 3)) }
            stored[position] = true
            QuarterBlob.add(selectDays.blob(column: 7), toPlays: &quarterPlays, millis: &quarterMillis,
                            from: position * Rollups.quartersPerDay)
            sessions[position] = SessionSpans.sessions(selectDays.blob(column: 8))
        }
        selectDays.reset()
        // New plays join a day's stored sessions; a day that lost one is read again.
        for (position, play) in addedPlays { sessions[position].append(play) }
        for position in shrunkDays {
            let key = days.keys[position]
            sessions[position] = try statements.countedPlays(onDay: key.high, kind: PlayKind.allCases[Int(key.low >> 2)],
                                                             source: PlaySource.allCases[Int(key.low & 3)])
        }
        // Every blob is made before any is bound: statements bind them without a copy.
        var blobs: [UInt8] = [], blobRanges: [Range<Int>] = [], spanRanges: [Range<Int>] = []
        for position in days.keys.indices {
            let start = blobs.count
            QuarterBlob.append(plays: quarterPlays, millis: quarterMillis, from: position * Rollups.quartersPerDay,
                               to: &blobs)
            blobRanges.append(start..<blobs.count)
            SessionSpans.append(SessionSpans.spans(of: sessions[position]), to: &blobs)
            spanRanges.append(blobRanges[position].upperBound..<blobs.count)
        }
        try blobs.withUnsafeBytes { raw in
            for (position, key) in days.keys.enumerated() {
                let kind = PlayKind.allCases[Int(key.low >> 2)], source = PlaySource.allCases[Int(key.low & 3)]
                guard sums[position][0] > 0 else {
                    try statements.deleteDay(key.high, kind: kind, source: source)
                    continue
                }
                try statements.writeDay(key.high, kind: kind, source: source, sums: sums[position],
                                        quarters: UnsafeRawBufferPointer(rebasing: raw[blobRanges[position]]),
                                        spans: UnsafeRawBufferPointer(rebasing: raw[spanRanges[position]]),
                                        stored: stored[position])
            }
            try statements.insertDays.finish()
            try statements.writeSpans.finish()
        }
    }
}
