import Foundation
import GRDB

/// Pre-aggregated plays that let history queries answer in milliseconds on millions of plays.
///
/// Kept exactly in step with `plays` at insert time (in the same transaction) by
/// `RollupAccumulator`, and rebuilt from scratch by `RollupBuilder`:
/// - `play_totals`: per user, kind and item, all time: counted plays, time, first and last play;
/// - `play_months`: per user, UTC month, kind and item: counted plays and time, the days with
///   counted plays (`MonthDays`), and plays with skip data and skips (`MonthRollup`);
/// - `play_days`: per user, UTC day, kind and source: all plays, counted plays, and counted plays
///   and time per UTC quarter-hour. Every time zone's offset is a multiple of 15 minutes, so
///   quarter-hours re-bucket exactly into local days, weekdays and hours of any zone.
/// - `play_spans`: beside each `play_days` row, its counted plays' 30-minute sessions
///   (`SessionSpans`).
/// "Counted" means played for at least `Rollups.countedMillis` (Spotify's definition of a stream);
/// queries with another `--min-played` read `plays` directly. The tables are created by
/// migrations v2 (`Schema.historyRollups`) and v10 (`Schema.deeperRollups`).
public enum Rollups {
    /// Plays shorter than this are not counted by the rollups (30 s).
    public static let countedMillis: Int64 = 30_000
    public static let quartersPerDay = 96
    public static let millisPerQuarter: Int64 = 900_000
    public static let millisPerDay: Int64 = 86_400_000

    /// UTC month index (`year * 12 + month - 1`) of an instant.
    @inline(__always)
    public static func month(of millis: Int64) -> Int { month(ofDay: millis.floorDivided(by: millisPerDay)) }

    /// UTC month index of a UTC day (days since 1970-01-01).
    static func month(ofDay day: Int64) -> Int {
        let date = UTCFormat.civil(fromDays: Int(day))
        return date.year * 12 + date.month - 1
    }

    /// The instant a UTC month index starts.
    public static func start(ofMonth month: Int) -> Int64 {
        let year = month.floorDivided(by: 12)
        return Int64(UTCFormat.daysFromCivil(year: year, month: month - year * 12 + 1, day: 1)) * millisPerDay
    }
}

/// The `quarters` blob of `play_days`: counted plays and milliseconds per UTC quarter-hour of
/// the day, for the quarter-hours that have any, in quarter order. Each has an entry:
/// - narrow, 9 bytes: the quarter (u8, 0 to 95), then plays and milliseconds (u32 each,
///   little-endian). Nearly every entry: a quarter-hour rarely holds more than 49 days of play.
/// - wide, 17 bytes (from `v6_wide_quarter_entries`): the quarter + 128, then plays and
///   milliseconds as u64 each, when either does not fit a u32. Values are never capped.
/// Most days have plays in a few of their 96 quarter-hours, so this is usually a fraction of the
/// dense blob that databases before `v4_sparse_quarters` held: 96 x (u32 plays, u32 ms), 768
/// bytes, a length no blob of narrow entries can have (768 is not a multiple of 9).
enum QuarterBlob {
    static let entrySize = 9
    static let wideEntrySize = 17
    static let wideFlag: UInt8 = 0x80

    /// Calls `body` with each quarter that has an entry, and its plays and milliseconds.
    @inline(__always)
    static func forEach(_ blob: UnsafeRawBufferPointer, _ body: (Int, Int64, Int64) throws -> Void) rethrows {
        var offset = 0
        while offset + entrySize <= blob.count {
            let tag = blob[offset]
            if tag & wideFlag == 0 {
                if Int(tag) < Rollups.quartersPerDay {
                    try body(Int(tag),
                             Int64(UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: offset + 1, as: UInt32.self))),
                             Int64(UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: offset + 5, as: UInt32.self))))
                }
                offset += entrySize
            } else {
                guard offset + wideEntrySize <= blob.count else { return }
                let quarter = Int(tag & ~wideFlag)
                if quarter < Rollups.quartersPerDay {
                    try body(quarter,
                             Int64(littleEndian: blob.loadUnaligned(fromByteOffset: offset + 1, as: Int64.self)),
                             Int64(littleEndian: blob.loadUnaligned(fromByteOffset: offset + 9, as: Int64.self)))
                }
                offset += wideEntrySize
            }
        }
    }

    /// Adds a blob's counts to the 96 per-quarter totals from `base`.
    static func add(_ blob: UnsafeRawBufferPointer, toPlays plays: inout [Int64], millis: inout [Int64], from base: Int = 0) {
        forEach(blob) { quarter, quarterPlays, quarterMillis in
            plays[base + quarter] += quarterPlays
            millis[base + quarter] += quarterMillis
        }
    }

    /// Appends the blob of the 96 per-quarter totals from `base` to `output`: quarters whose
    /// both counts are 0 left out, a wide entry for counts that do not fit a u32.
    static func append(plays: [Int64], millis: [Int64], from base: Int = 0, to output: inout [UInt8]) {
        for quarter in 0..<Rollups.quartersPerDay where plays[base + quarter] != 0 || millis[base + quarter] != 0 {
            let quarterPlays = plays[base + quarter], quarterMillis = millis[base + quarter]
            if let narrowPlays = UInt32(exactly: quarterPlays), let narrowMillis = UInt32(exactly: quarterMillis) {
                output.append(UInt8(quarter))
                appendLittleEndian(narrowPlays, to: &output)
                appendLittleEndian(narrowMillis, to: &output)
            } else {
                output.append(UInt8(quarter) | wideFlag)
                appendLittleEndian(UInt64(bitPattern: quarterPlays), to: &output)
                appendLittleEndian(UInt64(bitPattern: quarterMillis), to: &output)
            }
        }
    }

    @inline(__always)
    private static func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value, to output: inout [UInt8]) {
        for shift in stride(from: 0, to: Value.bitWidth, by: 8) { output.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}

/// The `days` blob of `play_months` (from `v10_deeper_rollups`): the days of the month on which
/// the item has counted plays, in day order, 3 bytes each: the day of the month (1 to 31), then
/// the UTC quarter-hour (0 to 95) of that day's first and of its last counted play. A UTC day
/// falls in at most two local days of any zone, and a zone's offset changes only on a
/// quarter-hour, so first and last place the day's plays in local days (and months) exactly.
enum MonthDays {
    static let entrySize = 3

    struct Day: Equatable {
        var day: UInt8
        var first: UInt8
        var last: UInt8
    }

    static func days(_ blob: UnsafeRawBufferPointer) -> [Day] {
        stride(from: 0, to: blob.count - entrySize + 1, by: entrySize).map {
            Day(day: blob[$0], first: blob[$0 + 1], last: blob[$0 + 2])
        }
    }

    /// Notes a counted play on day `day` of the month, in UTC quarter-hour `quarter`.
    @inline(__always)
    static func note(day: UInt8, quarter: UInt8, in days: inout [Day]) {
        if let last = days.last, last.day == day {
            days[days.count - 1].first = min(last.first, quarter)
            days[days.count - 1].last = max(last.last, quarter)
        } else if days.last.map({ $0.day < day }) ?? true {
            days.append(Day(day: day, first: quarter, last: quarter))  // plays mostly come in time order
        } else {
            merge([Day(day: day, first: quarter, last: quarter)], into: &days)
        }
    }

    /// Adds `more` to `days` (both in day order): a day in both keeps the earlier first and the
    /// later last quarter-hour.
    static func merge(_ more: [Day], into days: inout [Day]) {
        guard !more.isEmpty else { return }
        var merged: [Day] = []
        merged.reserveCapacity(days.count + more.count)
        var left = 0, right = 0
        while left < days.count || right < more.count {
            if right == more.count || (left < days.count && days[left].day < more[right].day) {
                merged.append(days[left]); left += 1
            } else if left == days.count || more[right].day < days[left].day {
                merged.append(more[right]); right += 1
            } else {
                merged.append(Day(day: days[left].day, first: min(days[left].first, more[right].first),
                                  last: max(days[left].last, more[right].last)))
                left += 1; right += 1
            }
        }
        days = merged
    }

    static func append(_ days: [Day], to output: inout [UInt8]) {
        for day in days { output.append(contentsOf: [day.day, day.first, day.last]) }
    }
}
