import Foundation
import SpotlogCore

/// Human-friendly renderings of numbers, sizes, durations and instants for terminal output.
enum Formatting {
    /// `1.4 MB`, `512 B`.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// `0.52 s`.
    static func seconds(millis: Int64) -> String { String(format: "%.2f s", Double(millis) / 1000) }

    /// An instant in UTC, or `-`.
    static func instant(_ millis: EpochMillis?) -> String { millis?.iso8601 ?? "-" }
}
