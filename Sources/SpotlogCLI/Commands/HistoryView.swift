import Foundation
import SpotlogCore

/// The shared parts of history output: the JSON header every query starts with, and formatting.
enum HistoryView {
    /// What every history answer says about itself.
    struct Header {
        let query: String
        let user: String?
        let scope: HistoryScope?

        var members: [JSONValue.Member] {
            let clock = scope.map { ZoneClock(zone: $0.period.zone) }
            let period: JSONValue = scope.map { scope in
                .object([
                    "label": .string(scope.period.label),
                    "from": .optional(scope.period.from) { .string(clock!.iso8601($0)) },
                    "to": .optional(scope.period.to) { .string(clock!.iso8601($0)) },
                    "tz": .string(scope.period.zoneName),
                ])
            } ?? .null
            return [
                .init("schema_version", 1), .init("query", .string(query)), .init("user", .optional(user, JSONValue.string)),
                .init("period", period), .init("kind", .string(kindLabel)),
                .init("min_played_ms", .optional(scope?.minPlayedMillis) { .int($0) }),
            ]
        }

        var kindLabel: String {
            guard let kinds = scope?.kinds else { return "music" }
            return kinds.count == PlayKind.allCases.count ? "all" : kinds.map(\.rawValue).joined(separator: ",")
        }

        /// A line naming the query and period, for terminal output.
        var title: String {
            guard let scope else { return query }
            return "\(query), \(scope.period.label) (\(scope.period.zoneName))"
        }
    }

    static let emptyMessage = "no listening history yet; import an export with 'spotlog import'"

    /// The answer when there is nothing to report.
    static func empty(_ header: Header) -> CommandOutput {
        CommandOutput(document: .object(header.members + [.init("items", [])]), items: [], table: TextTable([.init("")]),
                      text: emptyMessage + "\n")
    }

    /// A document: the header, then `fields`.
    static func document(_ header: Header, _ fields: [JSONValue.Member]) -> JSONValue {
        .object(header.members + fields)
    }

    /// A local time for tables: `2024-05-01 14:05`.
    static func localTime(_ instant: EpochMillis, _ zone: TimeZone) -> String {
        let iso = ZoneClock(zone: zone).iso8601(instant)
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// An instant as JSON in the scope's zone.
    static func instant(_ instant: EpochMillis?, _ scope: HistoryScope) -> JSONValue {
        .optional(instant) { .string(ZoneClock(zone: scope.period.zone).iso8601($0)) }
    }

    /// `3:25:10` or `4:07` for a play's length; `12h 30m` for totals.
    static func clock(_ millis: Int64) -> String {
        let seconds = millis / 1000
        return seconds >= 3600 ? String(format: "%d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60)
            : String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// The title line (only on a terminal) followed by `body`.
    static func titled(_ context: CommandContext, _ header: Header, _ body: String) -> String {
        context.console.stdoutIsTerminal ? context.style.dim(header.title) + "\n" + body : body
    }
}
