import Foundation
import GRDB

/// Counted plays per local day and per local weekday × hour, over a scope: the one pass over
/// time that heatmaps, timelines, streaks and active days are all read from.
public struct TimeProfile: Sendable {
    /// The local day (days since 1970-01-01) of `dayPlays[0]`.
    public let firstDay: Int
    public let dayPlays: [Int]
    public let dayMillis: [Int64]
    /// Indexed by `(weekday - 1) * 24 + hour`, Monday 0:00 first.
    public let gridPlays: [Int]
    public let gridMillis: [Int64]

    /// The local dates with counted plays.
    public var activeDays: [LocalDate] {
        dayPlays.indices.filter { dayPlays[$0] > 0 }.map { LocalDate(daysSinceEpoch: firstDay + $0) }
    }

    /// Reads the scope's counted plays: from `play_days` quarter-hours (exact in every zone, since
    /// offsets are multiples of 15 minutes and periods start at local midnights), or from raw
    /// plays for another `--min-played`.
    static func read(_ scope: HistoryScope, in db: Database) throws -> TimeProfile {
        var builder = Builder()
        if scope.usesRollups {
            var filter = "user_id = ? AND kind IN (\(scope.kindList)) AND counted_plays > 0"
            var arguments: StatementArguments = [scope.userID]
            if let from = scope.period.from {
                filter += " AND day >= ?"
                arguments += [from.floorDivided(by: Rollups.millisPerDay)]
            }
            if let to = scope.period.to {
                filter += " AND day <= ?"
                arguments += [to.floorDivided(by: Rollups.millisPerDay)]
            }
            guard let range = try Row.fetchOne(db, sql: "SELECT min(day), max(day) FROM play_days WHERE \(filter)", arguments: arguments),
                  let low: Int64 = range[0], let high: Int64 = range[1] else { return builder.profile }
            let offsets = ZoneClock(zone: scope.period.zone).offsets(from: low * Rollups.millisPerDay,
                                                                     to: (high + 1) * Rollups.millisPerDay)
            let rows = try Row.fetchCursor(db, sql: "SELECT day, quarters FROM play_days WHERE \(filter)", arguments: arguments)
            while let row = try rows.next() {
                let dayStart: Int64 = (row[0] as Int64) * Rollups.millisPerDay
                let dayEnd = dayStart + Rollups.millisPerDay
                // Only days at the period's edges need each quarter checked against it.
                let whole = (scope.period.from.map { $0 <= dayStart } ?? true) && (scope.period.to.map { dayEnd <= $0 } ?? true)
                var segment = offsets.segment(at: dayStart)
                guard let blob = row.dataNoCopy(atIndex: 1) else { continue }
                blob.withUnsafeBytes { raw in
                    for quarter in 0..<min(Rollups.quartersPerDay, raw.count / 8) {
                        let plays = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: quarter * 8, as: UInt32.self))
                        guard plays > 0 else { continue }
                        let instant = dayStart + Int64(quarter) * Rollups.millisPerQuarter
                        guard whole || scope.period.contains(instant) else { continue }
                        if instant >= segment.until { segment = offsets.segment(at: instant) }
                        let millis = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: quarter * 8 + 4, as: UInt32.self))
                        builder.add(local: instant + segment.offset, plays: Int(plays), millis: Int64(millis))
                    }
                }
            }
        } else {
            var sql = "SELECT played_at, ms_played FROM plays WHERE user_id = ?"
            var arguments: StatementArguments = [scope.userID]
            if let from = scope.period.from { sql += " AND played_at >= ?"; arguments += [from] }
            if let to = scope.period.to { sql += " AND played_at < ?"; arguments += [to] }
            sql += " AND kind IN (\(scope.kindList)) AND ms_played >= ? ORDER BY played_at"
            arguments += [scope.minPlayedMillis]
            let plays = try Row.fetchAll(db, sql: sql, arguments: arguments)
            guard let first: EpochMillis = plays.first?[0], let last: EpochMillis = plays.last?[0] else { return builder.profile }
            let offsets = ZoneClock(zone: scope.period.zone).offsets(from: first, to: last + 1)
            for play in plays { builder.add(local: offsets.local(play[0]), plays: 1, millis: play[1]) }
        }
        return builder.profile
    }

    /// Accumulates samples into dense per-day arrays and the weekday × hour grid.
    private struct Builder {
        var firstDay = Int.max
        var dayPlays: [Int] = []
        var dayMillis: [Int64] = []
        var gridPlays = [Int](repeating: 0, count: 7 * 24)
        var gridMillis = [Int64](repeating: 0, count: 7 * 24)

        mutating func add(local: EpochMillis, plays: Int, millis: Int64) {
            let day = Int(local.floorDivided(by: Rollups.millisPerDay))
            let hour = Int((local - Int64(day) * Rollups.millisPerDay) / 3_600_000)
            let cell = ((day + 3) % 7 + 7) % 7 * 24 + hour
            gridPlays[cell] += plays
            gridMillis[cell] += millis
            if dayPlays.isEmpty {
                firstDay = day
            } else if day < firstDay {
                let shift = firstDay - day
                dayPlays.insert(contentsOf: repeatElement(0, count: shift), at: 0)
                dayMillis.insert(contentsOf: repeatElement(0, count: shift), at: 0)
                firstDay = day
            }
            let index = day - firstDay
            if index >= dayPlays.count {
                dayPlays.append(contentsOf: repeatElement(0, count: index - dayPlays.count + 1))
                dayMillis.append(contentsOf: repeatElement(0, count: index - dayMillis.count + 1))
            }
            dayPlays[index] += plays
            dayMillis[index] += millis
        }

        var profile: TimeProfile {
            TimeProfile(firstDay: dayPlays.isEmpty ? 0 : firstDay, dayPlays: dayPlays, dayMillis: dayMillis,
                        gridPlays: gridPlays, gridMillis: gridMillis)
        }
    }
}
