import Foundation

/// Milliseconds since the Unix epoch, UTC: how every instant is stored.
public typealias EpochMillis = Int64

public extension EpochMillis {
    /// The current instant.
    static func now() -> EpochMillis { EpochMillis((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// The instant as a Foundation date.
    var date: Date { Date(timeIntervalSince1970: Double(self) / 1000) }

    /// Parses an ISO 8601 instant (`2024-05-01T12:30:00Z`, fractions and offsets allowed).
    init?(iso8601 text: String) {
        guard let millis = Array(text.utf8).withUnsafeBufferPointer({ TimestampParser.iso8601($0) }) else { return nil }
        self = millis
    }

    /// ISO 8601 in UTC with second precision, e.g. `2024-05-01T12:30:00Z`.
    var iso8601: String { UTCFormat.iso8601(self) }
}

/// Fast, allocation-light UTC calendar arithmetic (proleptic Gregorian), used on hot paths
/// where Foundation's `Calendar` would dominate the cost.
public enum UTCFormat {
    /// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date for a count of days since 1970-01-01.
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for an instant (milliseconds are dropped).
    public static func iso8601(_ millis: EpochMillis) -> String {
        let seconds = Int(millis.floorDivided(by: 1000))
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
                      secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }
}

public extension BinaryInteger {
    /// Division rounding towards negative infinity (Swift's `/` truncates towards zero).
    func floorDivided(by divisor: Self) -> Self {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
