import Foundation

/// Local dates and times of instants in one time zone, DST-correct.
///
/// For sweeping many instants (quarter-hours of years of history) it precomputes the zone's
/// offset transitions over the range once, so each lookup is a binary search, not a call into
/// the time zone database.
public struct ZoneClock: Sendable {
    public let zone: TimeZone
    private let calendar: Calendar

    public init(zone: TimeZone) {
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The zone's offset from UTC at an instant, in milliseconds.
    public func offset(at instant: EpochMillis) -> Int64 {
        Int64(zone.secondsFromGMT(for: instant.date)) * 1000
    }

    public func localDate(of instant: EpochMillis) -> LocalDate {
        LocalDate(daysSinceEpoch: Int((instant + offset(at: instant)).floorDivided(by: Rollups.millisPerDay)))
    }

    /// The first instant of a local date (local midnight, or the first existing moment after it).
    public func startOfDay(_ date: LocalDate) -> EpochMillis {
        let components = DateComponents(year: date.year, month: date.month, day: date.day)
        guard let start = calendar.date(from: components) else {
            return Int64(date.daysSinceEpoch) * Rollups.millisPerDay
        }
        return EpochMillis((start.timeIntervalSince1970 * 1000).rounded())
    }

    /// An instant as an ISO 8601 string with the zone's offset, e.g. `2024-03-31T01:30:00+01:00`.
    public func iso8601(_ instant: EpochMillis) -> String {
        let offset = offset(at: instant)
        let local = instant + offset
        let days = Int(local.floorDivided(by: Rollups.millisPerDay))
        let second = Int((local - Int64(days) * Rollups.millisPerDay) / 1000)
        let date = LocalDate(daysSinceEpoch: days)
        let minutes = Int(abs(offset) / 60_000)
        let sign = offset < 0 ? "-" : "+"
        return String(format: "%@T%02d:%02d:%02d%@%02d:%02d", date.description, second / 3600, second % 3600 / 60, second % 60,
                      sign, minutes / 60, minutes % 60)
    }

    /// Offsets between `from` and `to`, for fast repeated lookups.
    public func offsets(from: EpochMillis, to: EpochMillis) -> OffsetTable {
        var changes = [(start: from, offset: offset(at: from))]
        var cursor = from.date
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 * 1000 < Double(to) {
            let instant = EpochMillis((next.timeIntervalSince1970 * 1000).rounded())
            changes.append((instant, offset(at: instant)))
            cursor = next
        }
        return OffsetTable(starts: changes.map(\.start), offsets: changes.map(\.offset))
    }
}

/// A zone's offsets over a range: `offsets[i]` applies from `starts[i]` until the next start.
public struct OffsetTable: Sendable {
    let starts: [EpochMillis]
    let offsets: [Int64]

    /// The local wall-clock instant (`instant + offset`) for an instant in the table's range.
    @inline(__always)
    public func local(_ instant: EpochMillis) -> EpochMillis { instant + segment(at: instant).offset }

    /// The offset at `instant` and the instant it stops applying.
    public func segment(at instant: EpochMillis) -> (offset: Int64, until: EpochMillis) {
        let found = span(at: instant)
        return (found.offset, found.until)
    }

    /// The offset at `instant` and the instants it applies from (`.min` before the table's
    /// first change) and until.
    func span(at instant: EpochMillis) -> (start: EpochMillis, offset: Int64, until: EpochMillis) {
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= instant { low = middle } else { high = middle - 1 }
        }
        return (low == 0 ? .min : starts[low], offsets[low], low + 1 < starts.count ? starts[low + 1] : .max)
    }
}

/// The parts of a local wall-clock instant that history buckets by.
public struct LocalMoment: Sendable {
    public let day: Int
    public let hour: Int

    public init(local: EpochMillis) {
        day = Int(local.floorDivided(by: Rollups.millisPerDay))
        hour = Int((local - Int64(day) * Rollups.millisPerDay) / 3_600_000)
    }

    public var date: LocalDate { LocalDate(daysSinceEpoch: day) }
    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int { ((day + 3) % 7 + 7) % 7 + 1 }
}
