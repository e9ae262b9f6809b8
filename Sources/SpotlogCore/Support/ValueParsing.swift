import Foundation

/// Converts words (command-line values, MCP tool arguments) to typed values, with one-line errors.
public enum ValueParsing {
    /// Checks `word` against `kind`; returns an error message, or `nil` when it is valid.
    public static func problem(with word: String, kind: ValueKind) -> String? {
        switch kind {
        case .flag, .text, .path:
            return nil
        case .integer(let min, let max):
            guard let number = Int(word), number >= min, number <= max else {
                return max == Int.max ? "expected a whole number of at least \(min), got '\(word)'"
                    : "expected a whole number from \(min) to \(max), got '\(word)'"
            }
            return nil
        case .duration:
            return durationMillis(word) == nil ? "expected a duration such as 30s, 5m, 2h or 7d, got '\(word)'" : nil
        case .date:
            return date(word) == nil ? "expected a date as YYYY-MM-DD, got '\(word)'" : nil
        case .choice(let values):
            guard values.contains(word) else {
                let hint = Suggestions.closest(to: word, among: values).map { "; did you mean '\($0)'?" }
                    ?? " (one of: \(values.joined(separator: ", ")))"
                return "invalid value '\(word)'\(hint)"
            }
            return nil
        case .timeZone:
            return timeZone(word) == nil ? "unknown time zone '\(word)' (use an IANA name such as Europe/Berlin)" : nil
        case .period:
            return PeriodSpec.parse(word) == nil
                ? "expected a period such as 7d, 4w, 6m, 1y, all, 2024 or 2024-05, got '\(word)'" : nil
        }
    }

    /// `90s`, `5m`, `2h`, `7d`, `1w`, `250ms`, `1h30m`, or a bare number of seconds, in milliseconds.
    public static func durationMillis(_ word: String) -> Int64? {
        if let seconds = Int64(word), seconds >= 0 { return seconds * 1000 }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000),
                                        ("d", 86_400_000), ("w", 604_800_000)]
        var total: Int64 = 0
        var rest = Substring(word)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) })
            else { return nil }
            rest = rest.dropFirst(unit.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            total += product
        }
        return total
    }

    /// A strict `YYYY-MM-DD` date that exists in the calendar.
    public static func date(_ word: String) -> LocalDate? { LocalDate(iso: word) }

    /// An IANA zone (or `UTC`); a leading `:` (as `TZ` allows) is ignored.
    public static func timeZone(_ word: String) -> TimeZone? {
        let word = word.hasPrefix(":") ? String(word.dropFirst()) : word
        if word == "UTC" || word == "Z" { return TimeZone(identifier: "UTC") }
        guard word.contains("/") || TimeZone.knownTimeZoneIdentifiers.contains(word) else { return nil }
        return TimeZone(identifier: word)
    }
}
