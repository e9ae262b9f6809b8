import Foundation
import GRDB

/// The `play_months` changes of one transaction, part of a `RollupAccumulator`: per UTC month,
/// kind and item, counted plays and time, the days with counted plays (`MonthDays`), and the
/// plays whose record says whether they were skipped (`judged`, however short) and the skips.
/// A row exists while it has a counted or a judged play.
struct MonthRollup {
    private struct Delta {
        var plays: Int64 = 0
        var millis: Int64 = 0
        var judged: Int64 = 0
        var skipped: Int64 = 0
        /// Days that gained counted plays.
        var days: [MonthDays.Day] = []

        mutating func merge(_ other: Delta) {
            plays += other.plays
            millis += other.millis
            judged += other.judged
            skipped += other.skipped
            MonthDays.merge(other.days, into: &days)
        }

        var isEmpty: Bool { plays == 0 && millis == 0 && judged == 0 && skipped == 0 && days.isEmpty }
    }

    /// Keys: the month and the kind's index (two bits), then the item.
    static func key(month: Int64, kind: PlayKind, item: Int64) -> RollupKey {
        RollupKey(high: month << 2 | Int64(kind.index), low: item)
    }
    private static func month(of key: RollupKey) -> Int64 { key.high >> 2 }
    private static func kind(of key: RollupKey) -> PlayKind { PlayKind.allCases[Int(key.high & 3)] }

    private var index = RollupKeyIndex(), deltas: [Delta] = []
    /// The month of the last play's day and the day the month starts on: the next play most
    /// likely shares them (files are in time order).
    private var lastMonth: (day: Int64, month: Int64, firstDay: Int64)?
    /// Month rows of items that lost a counted play: their days are read again from `plays`.
    private var shrunk: [RollupKey] = []

    /// Adds (`sign` 1) or takes away (-1) a play that ended in `quarter` of UTC day `day`;
    /// `skipped` is what its record said (`nil`: nothing).
    mutating func change(day: Int64, quarter: Int, kind: PlayKind, item: Int64, millis: Int64, skipped: Bool?,
                         sign: Int64) {
        let counted = millis >= Rollups.countedMillis
        guard counted || skipped != nil else { return }
        if lastMonth?.day != day {
            let month = Rollups.month(ofDay: day)
            lastMonth = (day, Int64(month), Rollups.start(ofMonth: month) / Rollups.millisPerDay)
        }
        guard let (_, month, firstDay) = lastMonth else { return }
        let key = Self.key(month: month, kind: kind, item: item)
        let position = index.position(of: key)
        if position == deltas.count { deltas.append(Delta()) }
        if counted {
            deltas[position].plays += sign
            deltas[position].millis += sign * millis
            if sign > 0 {
                MonthDays.note(day: UInt8(day - firstDay + 1), quarter: UInt8(quarter), in: &deltas[position].days)
            } else {
                shrunk.append(key)
            }
        }
        if let skipped {
            deltas[position].judged += sign
            if skipped { deltas[position].skipped += sign }
        }
    }

    mutating func absorb(_ other: inout MonthRollup) {
        for (key, delta) in zip(other.index.keys, other.deltas) {
            let position = index.position(of: key)
            if position == deltas.count { deltas.append(Delta()) }
            deltas[position].merge(delta)
        }
        shrunk += other.shrunk
        other.discard()
    }

    mutating func discard() {
        index.removeAll()
        deltas.removeAll(keepingCapacity: true)
        lastMonth = nil
        shrunk = []
    }

    /// Adds the deltas to the stored rows (read in one range scan) and writes new rows many per
    /// statement; then rows of items that lost plays get their days from `plays`, and rows left
    /// with no counted or judged play go.
    func flush(userID: Int64, _ statements: RollupStatements, in db: Database) throws {
        let keys = index.keys
        guard let low = keys.map(\.high).min(), let high = keys.map(\.high).max() else { return }
        let stored = try statements.storedMonths(from: low >> 2, through: high >> 2) { month, kind, item in
            Self.key(month: month, kind: kind, item: item)
        }
        // Every new row's blob is made before any is bound: statements bind them without a copy.
        var blobs: [UInt8] = [], ranges: [Range<Int>] = Array(repeating: 0..<0, count: keys.count)
        for position in keys.indices where stored[keys[position]] == nil {
            let start = blobs.count
            MonthDays.append(deltas[position].days, to: &blobs)
            ranges[position] = start..<blobs.count
        }
        try blobs.withUnsafeBytes { raw in
            for position in keys.indices.sorted(by: { keys[$0].high != keys[$1].high ? keys[$0].high < keys[$1].high
                                                                                     : keys[$0].low < keys[$1].low }) {
                let key = keys[position], delta = deltas[position]
                guard !delta.isEmpty else { continue }
                let counts = [delta.plays, delta.millis, delta.judged, delta.skipped]
                if var days = stored[key] {
                    MonthDays.merge(delta.days, into: &days)
                    var blob: [UInt8] = []
                    MonthDays.append(days, to: &blob)
                    try blob.withUnsafeBytes { days in
                        try statements.updateMonth(Self.month(of: key), kind: Self.kind(of: key), item: key.low,
                                                   adding: counts, days: days)
                    }
                } else {
                    try statements.insertMonth(Self.month(of: key), kind: Self.kind(of: key), item: key.low, counts: counts,
                                               days: UnsafeRawBufferPointer(rebasing: raw[ranges[position]]))
                }
            }
            try statements.insertMonths.finish()
        }
        guard !shrunk.isEmpty else { return }
        try db.execute(sql: "DELETE FROM play_months WHERE user_id = ? AND plays <= 0 AND judged <= 0", arguments: [userID])
        try readDaysAgain(userID: userID, in: db)
    }

    /// Sets the days of the shrunk month rows from their counted plays, one query per month.
    private func readDaysAgain(userID: Int64, in db: Database) throws {
        let byMonth = Dictionary(grouping: Set(shrunk), by: Self.month(of:))
        for (month, keys) in byMonth {
            let start = Rollups.start(ofMonth: Int(month)), firstDay = start / Rollups.millisPerDay
            let items = keys.map { "('\(Self.kind(of: $0).rawValue)', \($0.low))" }.joined(separator: ", ")
            var days: [RollupKey: [MonthDays.Day]] = [:]
            let plays = try Row.fetchCursor(db, sql: """
                SELECT kind, item_id, played_at FROM plays
                WHERE user_id = ? AND played_at >= ? AND played_at < ? AND ms_played >= ? AND (kind, item_id) IN (VALUES \(items))
                ORDER BY played_at
                """, arguments: [userID, start, Rollups.start(ofMonth: Int(month) + 1), Rollups.countedMillis])
            while let play = try plays.next() {
                guard let kind = PlayKind(rawValue: play[0]) else { continue }
                let playedAt: Int64 = play[2], day = playedAt.floorDivided(by: Rollups.millisPerDay)
                let quarter = (playedAt - day * Rollups.millisPerDay) / Rollups.millisPerQuarter
                MonthDays.note(day: UInt8(day - firstDay + 1), quarter: UInt8(quarter),
                               in: &days[Self.key(month: month, kind: kind, item: play[1]), default: []])
            }
            for key in keys {
                var blob: [UInt8] = []
                MonthDays.append(days[key] ?? [], to: &blob)
                try db.execute(sql: """
                    UPDATE play_months SET days = ? WHERE user_id = ? AND month = ? AND kind = ? AND item_id = ?
                    """, arguments: [Data(blob), userID, month, Self.kind(of: key).rawValue, key.low])
            }
        }
    }
}
