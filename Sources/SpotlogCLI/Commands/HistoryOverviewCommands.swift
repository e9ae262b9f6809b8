import Foundation
import SpotlogCore

/// `history summary`, `repeat-rate`, `coverage` and `discoveries`: overviews.
enum HistoryOverviewCommands {
    static let all = [summary, repeatRate, coverage, discoveries]

    static let summary = HistoryCommand.command(
        OverviewQueries.summary, aliases: ["taste-summary"],
        examples: [.init("spotlog history summary --period 2024", "your 2024 in one screen")]
    ) { document, context in
        let body = document.body
        var table = TextTable([.init("what"), .init("value", maxWidth: 100)], showsHeader: false)
        table.append(["plays", "\(body.plays) (\(String(format: "%.1f", Double(body.msPlayed) / 3_600_000)) hours)"])
        table.append(["tracks / artists", "\(body.distinctTracks) / \(body.distinctArtists)"])
        table.append(["active days", String(body.activeDays)])
        table.append(["first / last play", "\(HistoryView.localTime(body.firstPlay)) / \(HistoryView.localTime(body.lastPlay))"])
        table.append(["top artists", body.topArtists.map(\.name).joined(separator: ", ")])
        table.append(["top tracks", body.topTracks.map { "\($0.name) (\($0.artist ?? "-"))" }.joined(separator: ", ")])
        table.append(["peak", body.peakWeekday.map { "\(HistoryView.weekdays[$0 - 1])s" }.map { day in
            day + (body.peakHour.map { " at \($0):00" } ?? "") } ?? "-"])
        table.append(["repeat rate", HistoryView.percent(body.repeatRate)])
        table.append(["podcast share", HistoryView.percent(body.podcastShare) + " of listening time"])
        return HistoryCommand.Rendering(
            table: table,
            text: body.plays == 0 ? HistoryView.noPlays(document.header) + "\n"
                : HistoryView.titled(context, document.header, table.render()))
    }

    static let repeatRate = HistoryCommand.command(OverviewQueries.repeatRate) { document, context in
        let body = document.body
        var rendering = HistoryListCommands.rankingTable(body.items, header: document.header, context: context)
        rendering.text = body.plays == 0 ? HistoryView.noPlays(document.header) + "\n"
            : "repeat rate \(HistoryView.percent(body.rate)): \(body.repeats) of \(body.plays) plays were songs "
                + "played before in the period (\(body.distinctTracks) different songs)\n" + (rendering.text.map { "\n" + $0 } ?? "")
        return rendering
    }

    static let coverage = HistoryCommand.command(
        OverviewQueries.coverage, examples: [.init("spotlog history coverage --gap 3d", "find holes of more than three days")]
    ) { document, context in
        let body = document.body
        var table = TextTable([.init("start"), .init("end"), .init("days", .right)])
        for gap in body.gaps { table.append([gap.start, gap.end, String(gap.days)]) }
        var lines = [("api", body.playsBySource.api), ("extended", body.playsBySource.extended),
                     ("account", body.playsBySource.account)].map { "plays from \($0.0): \($0.1)" }
        lines.append("range: \(HistoryView.localTime(body.firstPlay)) to \(HistoryView.localTime(body.lastPlay))")
        lines.append("active days: \(body.activeDays) of \(body.spanDays)")
        lines.append("last poll: \(body.lastPoll == nil ? "never" : HistoryView.localTime(body.lastPoll))")
        for poll in body.possibleGaps {
            lines.append("possible gap: the poll of \(HistoryView.localTime(poll)) found a full page; plays before it may be missing")
        }
        lines.append("gaps of more than \(body.gapDays) days: \(body.gaps.count)")
        let text = lines.joined(separator: "\n") + "\n" + (body.gaps.isEmpty ? "" : table.render())
        return HistoryCommand.Rendering(table: table, text: HistoryView.titled(context, document.header, text), itemsKey: "gaps")
    }

    static let discoveries = HistoryCommand.command(
        OverviewQueries.discoveries, examples: [.init("spotlog history discoveries --of tracks --period 4w", "new songs this month")]
    ) { document, context in
        let tracks = document.body.of == "tracks"
        var table = TextTable([.init("first played"), .init(tracks ? "track" : "artist")] + (tracks ? [.init("artist")] : [])
                              + [.init("plays", .right)])
        for item in document.body.items {
            table.append([HistoryView.localTime(item.firstPlayed), item.name] + (tracks ? [item.artist ?? "-"] : [])
                         + [String(item.plays)])
        }
        return HistoryCommand.Rendering(
            table: table,
            text: document.body.items.isEmpty ? "no first listens in \(document.header.period.label)\n"
                : HistoryView.titled(context, document.header, table.render(header: context.style.bold)))
    }
}
