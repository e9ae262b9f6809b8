import SpotlogCore

/// `history heatmap`, `timeline` and `streaks`: when the listening happened.
enum HistoryTimeCommands {
    static let all = [heatmap, timeline, streaks]

    static let heatmap = CommandSpec(
        "heatmap", summary: "plays (or time) by weekday and hour, as a shaded grid", options: [HistoryCommand.by],
        examples: [.init("spotlog history heatmap --period 6m --tz America/New_York", "when you listen, in New York time")],
        jsonSchema: """
            "by": "plays" | "time", "cells": [{"weekday": 1-7 (ISO, 1 = Monday), "hour": 0-23, "plays": int, \
            "ms_played": int}] (all 168 cells, Monday 0:00 first)
            """
    ) { context in
        try HistoryCommand.run(context, query: "heatmap") { scope, header, db in
            let byTime = context.invocation.string(HistoryCommand.by) == "time"
            let cells = try TimeReports.heatmap(scope, in: db)
            let items: [JSONValue] = cells.map {
                .object(["weekday": .int($0.weekday), "hour": .int($0.hour), "plays": .int($0.plays), "ms_played": .int($0.msPlayed)])
            }
            var table = TextTable([.init("weekday", .right), .init("hour", .right), .init("plays", .right), .init("ms_played", .right)])
            for cell in cells { table.append([String(cell.weekday), String(cell.hour), String(cell.plays), String(cell.msPlayed)]) }
            let empty = cells.allSatisfy { $0.plays == 0 }
            return CommandOutput(
                document: HistoryView.document(header, [.init("by", .string(byTime ? "time" : "plays")), .init("cells", .array(items))]),
                items: items, table: table,
                text: empty ? "no plays in \(scope.period.label)\n" : HistoryView.titled(context, header, grid(cells, byTime: byTime)))
        }
    }

    /// A 7 × 24 grid of shaded cells, darker for more listening.
    static func grid(_ cells: [HeatmapCell], byTime: Bool) -> String {
        let value: (HeatmapCell) -> Int64 = { byTime ? $0.msPlayed : Int64($0.plays) }
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

    static let step = OptionSpec("per", .choice(TimelineStep.allCases.map(\.rawValue)), default: "month",
                                 help: "one bar per day, week (from Monday), month or year")

    static let timeline = CommandSpec(
        "timeline", summary: "plays (or time) per day, week, month or year, as a bar chart", options: [step, HistoryCommand.by],
        examples: [.init("spotlog history timeline --per week --period 6m", "weekly listening over half a year")],
        jsonSchema: """
            "per": "day" | "week" | "month" | "year", "by": "plays" | "time", "items": [{"start": "YYYY-MM-DD" \
            (the bucket's first day), "plays": int, "ms_played": int}] (empty buckets included)
            """
    ) { context in
        try HistoryCommand.run(context, query: "timeline") { scope, header, db in
            let per = TimelineStep(rawValue: context.invocation.string(step) ?? "month") ?? .month
            let byTime = context.invocation.string(HistoryCommand.by) == "time"
            let buckets = try TimeReports.timeline(scope, step: per, in: db)
            let items: [JSONValue] = buckets.map {
                .object(["start": .string($0.start.description), "plays": .int($0.plays), "ms_played": .int($0.msPlayed)])
            }
            var table = TextTable([.init("start"), .init("plays", .right), .init("ms_played", .right)])
            for bucket in buckets { table.append([bucket.start.description, String(bucket.plays), String(bucket.msPlayed)]) }
            let empty = buckets.allSatisfy { $0.plays == 0 }
            return CommandOutput(
                document: HistoryView.document(header, [.init("per", .string(per.rawValue)),
                                                        .init("by", .string(byTime ? "time" : "plays")), .init("items", .array(items))]),
                items: items, table: table,
                text: empty ? "no plays in \(scope.period.label)\n" : HistoryView.titled(context, header, bars(buckets, per: per, byTime: byTime)))
        }
    }

    /// One labelled bar per bucket, scaled to the largest.
    static func bars(_ buckets: [TimelineBucket], per: TimelineStep, byTime: Bool) -> String {
        let value: (TimelineBucket) -> Int64 = { byTime ? $0.msPlayed : Int64($0.plays) }
        let maximum = max(buckets.map(value).max() ?? 1, 1)
        let width = 40
        return buckets.map { bucket in
            let label: String
            switch per {
            case .day, .week: label = bucket.start.description
            case .month: label = String(bucket.start.description.prefix(7))
            case .year: label = String(bucket.start.description.prefix(4))
            }
            let eighths = Int((Double(value(bucket)) / Double(maximum) * Double(width * 8)).rounded())
            let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
            let bar = String(repeating: "█", count: eighths / 8) + partial
            let amount = byTime ? HistoryView.clock(bucket.msPlayed) : String(bucket.plays)
            return label + "  " + bar.padding(toLength: width + 1, withPad: " ", startingAt: 0) + " " + amount
        }.joined(separator: "\n") + "\n"
    }

    static let artist = OptionSpec("artist", .text, placeholder: "NAME", help: "streaks of listening to one artist")

    static let streaks = CommandSpec(
        "streaks", summary: "longest and current runs of days with listening", options: [artist],
        examples: [.init("spotlog history streaks --artist 'Björk'", "your longest run of days with Björk")],
        jsonSchema: """
            "artist": string or null, "active_days": int, "longest": {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", \
            "days": int} or null, "current": {...} or null (a streak that includes today or yesterday)
            """
    ) { context in
        try HistoryCommand.run(context, query: "streaks") { scope, header, db in
            let name = context.invocation.string(artist)
            let days: [LocalDate]
            if let name {
                guard let found = try TimeReports.activeDays(ofArtist: name, scope: scope, in: db) else {
                    throw SpotlogError.notFound("no artist named '\(name)' in your history")
                }
                days = found
            } else {
                days = try TimeReports.activeDays(scope, in: db)
            }
            let today = ZoneClock(zone: scope.period.zone).localDate(of: scope.now)
            let result = TimeReports.streaks(activeDays: days, today: today)
            func json(_ streak: Streak?) -> JSONValue {
                .optional(streak) { .object(["start": .string($0.start.description), "end": .string($0.end.description),
                                             "days": .int($0.days)]) }
            }
            func line(_ streak: Streak?) -> String {
                streak.map { "\($0.days) day\($0.days == 1 ? "" : "s") (\($0.start) to \($0.end))" } ?? "none"
            }
            var table = TextTable([.init("streak"), .init("days", .right), .init("start"), .init("end")])
            for (label, streak) in [("longest", result.longest), ("current", result.current)] {
                table.append([label, String(streak?.days ?? 0), streak?.start.description ?? "-", streak?.end.description ?? "-"])
            }
            let text = "longest streak  \(line(result.longest))\ncurrent streak  \(line(result.current))\n"
                + "active days     \(result.activeDays)\n"
            return CommandOutput(
                document: HistoryView.document(header, [
                    .init("artist", .optional(name, JSONValue.string)), .init("active_days", .int(result.activeDays)),
                    .init("longest", json(result.longest)), .init("current", json(result.current)),
                ]),
                table: table, text: days.isEmpty ? "no plays in \(scope.period.label)\n" : HistoryView.titled(context, header, text))
        }
    }
}
