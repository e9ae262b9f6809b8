import Foundation
import GRDB

/// Pre-aggregated plays that let history queries answer in milliseconds on millions of plays.
///
/// Kept exactly in step with `plays` at insert time (in the same transaction) by
/// `RollupAccumulator`, and rebuilt from scratch by `RollupBuilder`:
/// - `play_totals`: per user, kind and item, all time: counted plays, time, first and last play;
/// - `play_months`: per user, UTC month, kind and item: counted plays and time;
/// - `play_days`: per user, UTC day, kind and source: all plays, counted plays, and counted plays
///   and time per UTC quarter-hour. Every time zone's offset is a multiple of 15 minutes, so
///   quarter-hours re-bucket exactly into local days, weekdays and hours of any zone.
/// "Counted" means played for at least `Rollups.countedMillis` (Spotify's definition of a stream);
/// queries with another `--min-played` read `plays` directly.
public enum Rollups {
    /// Plays shorter than this are not counted by the rollups (30 s).
    public static let countedMillis: Int64 = 30_000
    public static let quartersPerDay = 96
    public static let millisPerQuarter: Int64 = 900_000
    public static let millisPerDay: Int64 = 86_400_000

    static let schema = """
        CREATE TABLE play_totals (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          kind TEXT NOT NULL,
          item_id INTEGER NOT NULL,
          plays INTEGER NOT NULL,
          ms_played INTEGER NOT NULL,
          first_played_at INTEGER NOT NULL,
          last_played_at INTEGER NOT NULL,
          PRIMARY KEY (user_id, kind, item_id)
        ) WITHOUT ROWID;

        CREATE TABLE play_months (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          month INTEGER NOT NULL,                    -- UTC calendar month: year * 12 + month - 1
          kind TEXT NOT NULL,
          item_id INTEGER NOT NULL,
          plays INTEGER NOT NULL,
          ms_played INTEGER NOT NULL,
          PRIMARY KEY (user_id, month, kind, item_id)
        ) WITHOUT ROWID;

        CREATE TABLE play_days (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          day INTEGER NOT NULL,                      -- UTC day: days since 1970-01-01
          kind TEXT NOT NULL,
          source TEXT NOT NULL,
          plays INTEGER NOT NULL,                    -- every play, however short
          ms_played INTEGER NOT NULL,
          counted_plays INTEGER NOT NULL,            -- plays of at least 30 s
          counted_ms INTEGER NOT NULL,
          quarters BLOB NOT NULL,                    -- counted plays and ms per UTC quarter-hour:
                                                     -- 96 x (u32 plays, u32 ms), little-endian
          PRIMARY KEY (user_id, day, kind, source)
        ) WITHOUT ROWID;
        """

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
/// the day, 96 x (u32 plays, u32 ms), little-endian.
enum QuarterBlob {
    static let size = Rollups.quartersPerDay * 8

    /// The counts of one quarter-hour.
    @inline(__always)
    static func counts(_ blob: UnsafeRawBufferPointer, quarter: Int) -> (plays: UInt32, millis: UInt32) {
        (UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: quarter * 8, as: UInt32.self)),
         UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: quarter * 8 + 4, as: UInt32.self)))
    }

    /// Adds signed per-quarter changes (negative when plays were removed) to a blob in place,
    /// clamped to what a u32 holds.
    static func add(plays deltaPlays: [Int64], millis deltaMillis: [Int64], to blob: UnsafeMutableRawBufferPointer) {
        for quarter in 0..<Rollups.quartersPerDay where deltaPlays[quarter] != 0 || deltaMillis[quarter] != 0 {
            let (plays, millis) = counts(UnsafeRawBufferPointer(blob), quarter: quarter)
            blob.storeBytes(of: UInt32(clamping: Int64(plays) + deltaPlays[quarter]).littleEndian,
                            toByteOffset: quarter * 8, as: UInt32.self)
            blob.storeBytes(of: UInt32(clamping: Int64(millis) + deltaMillis[quarter]).littleEndian,
                            toByteOffset: quarter * 8 + 4, as: UInt32.self)
        }
    }
}
