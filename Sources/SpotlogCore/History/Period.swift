import Foundation

/// A calendar date in some time zone (no time of day).
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days since 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let civil = UTCFormat.civil(fromDays: days)
        self.init(year: civil.year, month: civil.month, day: civil.day)
    }

    /// Parses a strict `YYYY-MM-DD` that exists in the calendar.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return nil }
        let candidate = LocalDate(year: year, month: month, day: day)
        guard LocalDate(daysSinceEpoch: candidate.daysSinceEpoch) == candidate else { return nil }
        self = candidate
    }

    public var daysSinceEpoch: Int { UTCFormat.daysFromCivil(year: year, month: month, day: day) }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same day `months` months later (clamped to the month's last day).
    public func adding(months: Int) -> LocalDate {
        let total = year * 12 + (month - 1) + months
        let newYear = total.floorDivided(by: 12), newMonth = total - newYear * 12 + 1
        let nextMonthStart = UTCFormat.daysFromCivil(year: newMonth == 12 ? newYear + 1 : newYear,
                                                      month: newMonth == 12 ? 1 : newMonth + 1, day: 1)
        let lastDay = nextMonthStart - UTCFormat.daysFromCivil(year: newYear, month: newMonth, day: 1)
        return LocalDate(year: newYear, month: newMonth, day: min(day, lastDay))
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int { ((daysSinceEpoch + 3) % 7 + 7) % 7 + 1 }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}

/// A history period as written on the command line.
public enum PeriodSpec: Equatable, Sendable {
    /// The last N days, weeks, months or years, up to and including today.
    case days(Int), weeks(Int), months(Int), years(Int)
    /// Everything.
    case all
    /// A calendar year or month.
    case year(Int), month(year: Int, month: Int)
    /// From one date to another, both included.
    case dates(from: LocalDate?, to: LocalDate?)

    /// Parses `7d`, `4w`, `6m`, `1y`, `all`, `YYYY` or `YYYY-MM`.
    public static func parse(_ text: String) -> PeriodSpec? {
        if text == "all" { return .all }
        if text.count == 4, let year = Int(text), year > 0 { return .year(year) }
        if text.count == 7, text.dropFirst(4).first == "-", let year = Int(text.prefix(4)), let month = Int(text.suffix(2)),
           (1...12).contains(month) {
            return .month(year: year, month: month)
        }
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, count <= 10_000 else { return nil }
        switch unit {
        case "d": return .days(count)
        case "w": return .weeks(count)
        case "m": return .months(count)
        case "y": return .years(count)
        default: return nil
        }
    }

    /// Whether the period is the last N days, weeks, months or years.
    public var isRelative: Bool {
        switch self {
        case .days, .weeks, .months, .years: return true
        case .all, .year, .month, .dates: return false
        }
    }

    /// The instants the period covers in `zone`, relative to `now`.
    public func resolve(now: EpochMillis, zone: TimeZone) -> ResolvedPeriod {
        let clock = ZoneClock(zone: zone)
        let today = clock.localDate(of: now)
        func lastDays(_ first: LocalDate, _ label: String) -> ResolvedPeriod {
            ResolvedPeriod(from: clock.startOfDay(first), to: clock.startOfDay(today.adding(days: 1)), zone: zone, label: label)
        }
        switch self {
        case .all:
            return ResolvedPeriod(from: nil, to: nil, zone: zone, label: "all time")
        case .days(let count):
            return lastDays(today.adding(days: 1 - count), count == 1 ? "today" : "last \(count) days")
        case .weeks(let count):
            return lastDays(today.adding(days: 1 - 7 * count), "last \(count) week\(count == 1 ? "" : "s")")
        case .months(let count):
            return lastDays(today.adding(months: -count).adding(days: 1), "last \(count) month\(count == 1 ? "" : "s")")
        case .years(let count):
            return lastDays(today.adding(months: -12 * count).adding(days: 1), "last \(count) year\(count == 1 ? "" : "s")")
        case .year(let year):
            return ResolvedPeriod(from: clock.startOfDay(LocalDate(year: year, month: 1, day: 1)),
                                  to: clock.startOfDay(LocalDate(year: year + 1, month: 1, day: 1)), zone: zone, label: "\(year)")
        case .month(let year, let month):
            let first = LocalDate(year: year, month: month, day: 1)
            return ResolvedPeriod(from: clock.startOfDay(first), to: clock.startOfDay(first.adding(months: 1)), zone: zone,
                                  label: String(format: "%04d-%02d", year, month))
        case .dates(let from, let to):
            return ResolvedPeriod(from: from.map(clock.startOfDay), to: to.map { clock.startOfDay($0.adding(days: 1)) },
                                  zone: zone, label: "\(from?.description ?? "start") to \(to?.description ?? "now")")
        }
    }
}

/// A period resolved to instants: `from` included, `to` excluded; `nil` means unbounded.
public struct ResolvedPeriod: Equatable, Sendable {
    public let from: EpochMillis?
    public let to: EpochMillis?
    public let zone: TimeZone
    public let label: String
    /// The zone's name as it was given: `UTC` stays `UTC` (Foundation names that zone `GMT`).
    public var zoneName: String

    init(from: EpochMillis?, to: EpochMillis?, zone: TimeZone, label: String) {
        self.from = from
        self.to = to
        self.zone = zone
        self.label = label
        zoneName = zone.identifier
    }

    public func contains(_ instant: EpochMillis) -> Bool {
        (from.map { instant >= $0 } ?? true) && (to.map { instant < $0 } ?? true)
    }
}
