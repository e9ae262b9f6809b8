import Foundation
import SpotlogCore

/// The shared parts of history output on the terminal: titles and formatting.
enum HistoryView {
    static let emptyMessage = "no listening history yet; import an export with 'spotlog import'"

    /// The answer when the database has no user yet: the bare header and no items.
    static func empty(query: String) -> CommandOutput {
        let document = JSONValue.object([
            "schema_version": 1, "query": .string(query), "user": nil, "period": nil, "kind": "music", "min_played_ms": nil,
            "items": [],
        ])
        return CommandOutput(document: document, items: [], table: TextTable([.init("")]), text: emptyMessage + "\n")
    }

    /// A line naming the query and period, for terminal output.
    static func title(_ header: HistoryHeader) -> String {
        "\(header.query), \(header.period.label) (\(header.period.tz))"
    }

    /// A local time for tables from a document's ISO 8601 instant: `2024-05-01 14:05`.
    static func localTime(_ iso: String?) -> String {
        guard let iso else { return "-" }
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `3:25:10` or `4:07` for a play's length; `12h 30m` for totals.
    static func clock(_ millis: Int64) -> String {
        let seconds = millis / 1000
        return seconds >= 3600 ? String(format: "%d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60)
            : String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    /// A share as a percentage with one decimal, rounding halves up (documents round shares to
    /// four decimals, so `%.1f` alone could round a stored 0.0535 down to 5.3%).
    static func percent(_ share: Double) -> String { String(format: "%.1f%%", (share * 1000).rounded() / 10) }

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// The title line (only on a terminal) followed by `body`.
    static func titled(_ context: CommandContext, _ header: HistoryHeader, _ body: String) -> String {
        context.console.stdoutIsTerminal ? context.style.dim(title(header)) + "\n" + body : body
    }

    /// "no plays in 2024".
    static func noPlays(_ header: HistoryHeader) -> String { "no plays in \(header.period.label)" }
}
