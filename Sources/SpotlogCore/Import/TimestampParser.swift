/// Parses the timestamps of Spotify's history files into UTC epoch milliseconds, straight from
/// bytes (no `DateFormatter`, which would dominate the import's cost).
enum TimestampParser {
    /// ISO 8601 as in extended history: `2023-04-01T12:34:56Z`, also with fractional seconds and
    /// `+hh:mm` / `-hhmm` offsets.
    static func iso8601(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count >= 19, let date = dateAndTime(bytes, separators: (UInt8(ascii: "T"), UInt8(ascii: ":")))
        else { return nil }
        var index = 19
        var millis: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100
            let digitsStart = index
            while index < bytes.count, let digit = digit(bytes[index]) {
                millis += Int64(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > digitsStart else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            index += 1
            guard let hours = number(bytes, index, 2) else { return nil }
            index += 2
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
            guard let minutes = number(bytes, index, 2), hours < 24, minutes < 60 else { return nil }
            index += 2
            offsetSeconds = sign * Int64(hours * 3600 + minutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        return (date - offsetSeconds) * 1000 + millis
    }

    /// Account data's `2023-04-01 12:34` (UTC, minute precision).
    static func accountEndTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count == 16 || bytes.count == 19 else { return nil }
        return dateAndTime(bytes, separators: (UInt8(ascii: " "), UInt8(ascii: ":")), withSeconds: bytes.count == 19)
            .map { $0 * 1000 }
    }

    /// Seconds since the epoch for `YYYY-MM-DD<sep>HH:MM[:SS]`.
    private static func dateAndTime(_ bytes: UnsafeBufferPointer<UInt8>, separators: (UInt8, UInt8),
                                    withSeconds: Bool = true) -> Int64? {
        guard let year = number(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
              let month = number(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"),
              let day = number(bytes, 8, 2), bytes[10] == separators.0,
              let hour = number(bytes, 11, 2), bytes[13] == separators.1,
              let minute = number(bytes, 14, 2) else { return nil }
        var second = 0
        if withSeconds {
            guard bytes[16] == separators.1, let parsed = number(bytes, 17, 2) else { return nil }
            second = parsed
        }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61 else { return nil }
        let days = UTCFormat.daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    @inline(__always)
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for index in start..<start + count {
            guard let digit = digit(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
