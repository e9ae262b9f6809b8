import SpotlogCore

/// `history heatmap`, `timeline` and `streaks`: when the listening happened.
enum HistoryTimeCommands {
    static let all = [heatmap, timeline, streaks]

    static let heatmap = HistoryCommand.command(
        TimeQueries.heatmap,
        examples: [.init("spotlog history heatmap --period 6m --tz America/New_York", "when you listen, in New York time")]
    ) { document, context in
        let cells = document.body.cells
        var table = TextTable([.init("weekday", .right), .init("hour", .right), .init("plays", .right), .init("ms_played", .right)])
        for cell in cells { table.append([String(cell.weekday), String(cell.hour), String(cell.plays), String(cell.msPlayed)]) }
        let empty = cells.allSatisfy { $0.plays == 0 }
        return HistoryCommand.Rendering(
            table: table,
            text: empty ? HistoryView.noPlays(document.header) + "\n"
                : HistoryView.titled(context, document.header, grid(cells, byTime: document.body.by == "time")),
            itemsKey: "cells")
    }

    /// A 7 × 24 grid of shaded cells, darker for more listening.
    static func grid(_ cells: [HeatmapBody.Cell], byTime: Bool) -> String {
        let value: (HeatmapBody.Cell) -> Int64 = { byTime ? $0.msPlayed : Int64($0.plays) }
        let peak = cells.max { value($0) < value($1) }!
        let maximum = max(value(peak), 1)
        let shades = ["·", "░", "▒", "▓", "█"]
        var lines = ["     " + (0..<24).map { String(format: "%-2d", $0) }.joined(separator: " ")]
        for weekday in 1...7 {
            let row = cells.filter { $0.weekday == weekday }.sorted { $0.hour < $1.hour }.map { cell -> String in
                let level = value(cell) == 0 ? 0 : 1 + Int((Double(value(cell)) / Double(maximum) * 3.999).rounded(.down))
                return String(repeating: shades[min(level, 4)], count: 2)
            }
            lines.append(HistoryView.weekdays[weekday - 1] + "  " + row.joined(separator: " "))
        }
        let amount = byTime ? HistoryView.clock(peak.msPlayed) + " played" : "\(peak.plays) plays"
        lines.append("peak: \(HistoryView.weekdays[peak.weekday - 1]) \(peak.hour):00 (\(amount)); · none ░ ▒ ▓ █ most")
        return lines.joined(separator: "\n") + "\n"
    }

    static let timeline = HistoryCommand.command(
        TimeQueries.timeline, examples: [.init("spotlog history timeline --per week --period 6m", "weekly listening over half a year")]
    ) { document, context in
        let buckets = document.body.items
        var table = TextTable([.init("start"), .init("plays", .right), .init("ms_played", .right)])
        for bucket in buckets { table.append([bucket.start, String(bucket.plays), String(bucket.msPlayed)]) }
        let empty = buckets.allSatisfy { $0.plays == 0 }
        let per = TimelineStep(rawValue: document.body.per) ?? .month
        return HistoryCommand.Rendering(
            table: table,
            text: empty ? HistoryView.noPlays(document.header) + "\n"
                : HistoryView.titled(context, document.header, bars(buckets, per: per, byTime: document.body.by == "time")))
    }

    /// One labelled bar per bucket, scaled to the largest.
    static func bars(_ buckets: [TimelineBody.Bucket], per: TimelineStep, byTime: Bool) -> String {
        let value: (TimelineBody.Bucket) -> Int64 = { byTime ? $0.msPlayed : Int64($0.plays) }
        let maximum = max(buckets.map(value).max() ?? 1, 1)
        let width = 40
        return buckets.map { bucket in
            let label: String
            switch per {
            case .day, .week: label = bucket.start
            case .month: label = String(bucket.start.prefix(7))
            case .year: label = String(bucket.start.prefix(4))
            }
            let eighths = Int((Double(value(bucket)) / Double(maximum) * Double(width * 8)).rounded())
            let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
            let bar = String(repeating: "█", count: eighths / 8) + partial
            let amount = byTime ? HistoryView.clock(bucket.msPlayed) : String(bucket.plays)
            return label + "  " + bar.padding(toLength: width + 1, withPad: " ", startingAt: 0) + " " + amount
        }.joined(separator: "\n") + "\n"
    }

    static let streaks = HistoryCommand.command(
        TimeQueries.streaks, examples: [.init("spotlog history streaks --artist 'Björk'", "your longest run of days with Björk")]
    ) { document, context in
        let body = document.body
        func line(_ streak: DayRange?) -> String {
            streak.map { "\($0.days) day\($0.days == 1 ? "" : "s") (\($0.start) to \($0.end))" } ?? "none"
        }
        var table = TextTable([.init("streak"), .init("days", .right), .init("start"), .init("end")])
        for (label, streak) in [("longest", body.longest), ("current", body.current)] {
            table.append([label, String(streak?.days ?? 0), streak?.start ?? "-", streak?.end ?? "-"])
        }
        let text = "longest streak  \(line(body.longest))\ncurrent streak  \(line(body.current))\n"
            + "active days     \(body.activeDays)\n"
        return HistoryCommand.Rendering(
            table: table,
            text: body.activeDays == 0 ? HistoryView.noPlays(document.header) + "\n" : HistoryView.titled(context, document.header, text))
    }
}
