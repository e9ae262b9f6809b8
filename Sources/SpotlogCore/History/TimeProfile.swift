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
                  let low: Int64 = try range.decode(atIndex: 0), let high: Int64 = try range.decode(atIndex: 1)
            else { return Builder(days: 0...0).profile }
            // Local days can be a day before or after the UTC days of the rollups.
            let builder = Builder(days: Int(low) - 1...Int(high) + 1)
            let offsets = ZoneClock(zone: scope.period.zone).offsets(from: low * Rollups.millisPerDay,
                                                                     to: (high + 1) * Rollups.millisPerDay)
            let rows = try Row.fetchCursor(db, sql: "SELECT day, quarters FROM play_days WHERE \(filter)", arguments: arguments)
            while let row = try rows.next() {
                let dayStart: Int64 = try row.decode(Int64.self, atIndex: 0) * Rollups.millisPerDay
                let dayEnd = dayStart + Rollups.millisPerDay
                // Only days at the period's edges need each quarter checked against it.
                let whole = (scope.period.from.map { $0 <= dayStart } ?? true) && (scope.period.to.map { dayEnd <= $0 } ?? true)
                var segment = offsets.segment(at: dayStart)
                try row.withUnsafeData(atIndex: 1) { blob in
                    blob?.withUnsafeBytes { raw in
                        QuarterBlob.forEach(raw) { quarter, plays, millis in
                            guard plays > 0 else { return }
                            let instant = dayStart + Int64(quarter) * Rollups.millisPerQuarter
                            guard whole || scope.period.contains(instant) else { return }
                            if instant >= segment.until { segment = offsets.segment(at: instant) }
                            builder.add(local: instant + segment.offset, plays: Int(plays), millis: millis)
                        }
                    }
                }
            }
            return builder.profile
        } else {
            let condition = scope.playsCondition
            let plays = try Row.fetchAll(db, sql: "SELECT played_at, ms_played FROM plays WHERE \(condition.sql) ORDER BY played_at",
                                         arguments: condition.arguments)
            guard let first: EpochMillis = try plays.first?.decode(atIndex: 0),
                  let last: EpochMillis = try plays.last?.decode(atIndex: 0) else {
                return Builder(days: 0...0).profile
            }
            let firstDay = Int(first.floorDivided(by: Rollups.millisPerDay)), lastDay = Int(last.floorDivided(by: Rollups.millisPerDay))
            let builder = Builder(days: firstDay - 1...lastDay + 1)
            let offsets = ZoneClock(zone: scope.period.zone).offsets(from: first, to: last + 1)
            for play in plays {
                builder.add(local: offsets.local(try play.decode(atIndex: 0)), plays: 1, millis: try play.decode(atIndex: 1))
            }
            return builder.profile
        }
    }

    /// Accumulates samples into dense per-day counts (over a known range of local days) and the
    /// weekday × hour grid. Raw buffers: this runs once per quarter-hour of years of history.
    private final class Builder {
        private let firstDay: Int
        private let dayCount: Int
        private let dayPlays: UnsafeMutablePointer<Int>
        private let dayMillis: UnsafeMutablePointer<Int64>
        private let gridPlays = UnsafeMutablePointer<Int>.allocate(capacity: 7 * 24)
        private let gridMillis = UnsafeMutablePointer<Int64>.allocate(capacity: 7 * 24)

        init(days: ClosedRange<Int>) {
            firstDay = days.lowerBound
            dayCount = days.count
            dayPlays = .allocate(capacity: dayCount)
            dayMillis = .allocate(capacity: dayCount)
            dayPlays.initialize(repeating: 0, count: dayCount)
            dayMillis.initialize(repeating: 0, count: dayCount)
            gridPlays.initialize(repeating: 0, count: 7 * 24)
            gridMillis.initialize(repeating: 0, count: 7 * 24)
        }

        deinit {
            for pointer in [dayPlays, gridPlays] { pointer.deallocate() }
            for pointer in [dayMillis, gridMillis] { pointer.deallocate() }
        }

        @inline(__always)
        func add(local: EpochMillis, plays: Int, millis: Int64) {
            let day = Int(local.floorDivided(by: Rollups.millisPerDay))
            let hour = Int((local - Int64(day) * Rollups.millisPerDay) / 3_600_000)
            let cell = ((day + 3) % 7 + 7) % 7 * 24 + hour
            gridPlays[cell] += plays
            gridMillis[cell] += millis
            let index = day - firstDay
            precondition(index >= 0 && index < dayCount, "a local day outside the range read")
            dayPlays[index] += plays
            dayMillis[index] += millis
        }

        /// The profile, with the day arrays trimmed to the days that have plays.
        var profile: TimeProfile {
            let days = UnsafeBufferPointer(start: dayPlays, count: dayCount)
            guard let first = days.firstIndex(where: { $0 > 0 }), let last = days.lastIndex(where: { $0 > 0 }) else {
                return TimeProfile(firstDay: 0, dayPlays: [], dayMillis: [], gridPlays: Array(UnsafeBufferPointer(start: gridPlays, count: 168)),
                                   gridMillis: Array(UnsafeBufferPointer(start: gridMillis, count: 168)))
            }
            return TimeProfile(firstDay: firstDay + first, dayPlays: Array(days[first...last]),
                               dayMillis: Array(UnsafeBufferPointer(start: dayMillis, count: dayCount)[first...last]),
                               gridPlays: Array(UnsafeBufferPointer(start: gridPlays, count: 168)),
                               gridMillis: Array(UnsafeBufferPointer(start: gridMillis, count: 168)))
        }
    }
}
