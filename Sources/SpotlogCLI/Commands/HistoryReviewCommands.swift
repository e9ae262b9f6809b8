import SpotlogCore

/// `history compare`, `wrapped`, `skips` and `sessions`: periods reviewed and habits.
enum HistoryReviewCommands {
    static let all = [compare, wrapped, skips, sessions]

    static let compare = HistoryCommand.command(
        ReviewQueries.compare,
        examples: [.init("spotlog history compare --period 2025", "2025 against 2024"),
                   .init("spotlog history compare --period 4w --vs 2025-01", "the last four weeks against January 2025")]
    ) { document, context in
        let body = document.body
        var totals = TextTable([.init(""), .init(document.header.period.label, .right), .init(body.vsPeriod.label, .right)])
        for (name, value) in [("plays", { (t: CompareBody.Totals) in String(t.plays) }),
                              ("time", { HistoryView.clock($0.msPlayed) }), ("active days", { String($0.activeDays) }),
                              ("artists", { String($0.distinctArtists) }), ("songs", { String($0.distinctTracks) })] {
            totals.append([name, value(body.totals), value(body.vsTotals)])
        }
        func ranks(_ items: [CompareBody.Item], noun: String) -> TextTable {
            var table = TextTable([.init("#", .right), .init(noun)] + (noun == "song" ? [.init("artist")] : [])
                                  + [.init("plays", .right), .init("vs #", .right), .init("vs plays", .right), .init("change")])
            for item in items {
                table.append([item.rank.map(String.init) ?? "-", item.name] + (noun == "song" ? [item.artist ?? "-"] : [])
                             + [String(item.plays), item.vsRank.map(String.init) ?? "-", String(item.vsPlays), item.change])
            }
            return table
        }
        let artists = ranks(body.artists, noun: "artist")
        let text = totals.render(header: context.style.bold) + "\n" + artists.render(header: context.style.bold) + "\n"
            + ranks(body.tracks, noun: "song").render(header: context.style.bold)
        return HistoryCommand.Rendering(table: artists, text: HistoryView.titled(context, document.header, text), itemsKey: "artists")
    }

    static let wrapped = HistoryCommand.command(
        ReviewQueries.wrapped, examples: [.init("spotlog history wrapped --period 2025", "your 2025 in review")]
    ) { document, context in
        let body = document.body
        var table = TextTable([.init("what"), .init("value", maxWidth: 100)], showsHeader: false)
        table.append(["minutes", "\(body.minutes) (\(body.plays) plays)"])
        table.append(["top artists", body.topArtists.map(\.name).joined(separator: ", ")])
        table.append(["top songs", body.topTracks.map { "\($0.name) (\($0.artist ?? "-"))" }.joined(separator: ", ")])
        table.append(["top albums", body.topAlbums.map { "\($0.name) (\($0.artist ?? "-"))" }.joined(separator: ", ")])
        table.append(["top podcast", body.topPodcast?.name ?? "-"])
        table.append(["top audiobook", body.topAudiobook?.name ?? "-"])
        table.append(["busiest day", body.busiestDay.map { "\($0.date) (\($0.plays) plays)" } ?? "-"])
        table.append(["peak", body.peakWeekday.map { "\(HistoryView.weekdays[$0 - 1])s" }.map { day in
            day + (body.peakHour.map { " at \($0):00" } ?? "") } ?? "-"])
        table.append(["new", "\(body.newArtists) artists, \(body.newTracks) songs; most played: "
                      + (body.topDiscoveries.isEmpty ? "-" : body.topDiscoveries.map(\.name).joined(separator: ", "))])
        table.append(["longest streak", body.longestStreak.map { "\($0.days) days (\($0.start) to \($0.end))" } ?? "-"])
        table.append(["longest session", body.longestSession.map {
            "\(HistoryView.clock($0.lengthMs)), \($0.plays) plays, from \(HistoryView.localTime($0.start))" } ?? "-"])
        return HistoryCommand.Rendering(
            table: table,
            text: body.plays == 0 ? HistoryView.noPlays(document.header) + "\n" : HistoryView.titled(context, document.header, table.render()),
            itemsKey: "top_artists")
    }

    static let skips = HistoryCommand.command(
        HabitQueries.skips, examples: [.init("spotlog history skips --period 1y", "what you skipped this year")]
    ) { document, context in
        let body = document.body
        var table = TextTable([.init("#", .right), .init("song"), .init("artist"), .init("skips", .right), .init("plays", .right),
                               .init("rate", .right)])
        for item in body.items {
            table.append([String(item.rank), item.name, item.artist ?? "-", String(item.skips), String(item.plays),
                          HistoryView.percent(item.rate)])
        }
        let summary = body.judged == 0 ? "no plays with skip data in \(document.header.period.label) (only the extended export has it)\n"
            : "skip rate \(HistoryView.percent(body.rate)): \(body.skipped) of \(body.judged) plays with skip data "
                + "(of \(body.plays) plays)\n"
        return HistoryCommand.Rendering(
            table: table,
            text: HistoryView.titled(context, document.header, summary + (body.items.isEmpty ? "" : "\n" + table.render(header: context.style.bold))))
    }

    static let sessions = HistoryCommand.command(
        HabitQueries.sessions, examples: [.init("spotlog history sessions --gap 15m --period 1y", "sessions split by 15-minute pauses")]
    ) { document, context in
        let body = document.body
        var lines = ["\(body.sessions) sessions (pauses of more than \(HistoryView.clock(body.gapMs)) end one), \(body.plays) plays"]
        lines.append("median length \(HistoryView.clock(body.medianMs)), \(body.medianPlays) plays (mean \(body.meanPlays))")
        lines.append("longest: " + (body.longest.map {
            "\(HistoryView.clock($0.lengthMs)), \($0.plays) plays, from \(HistoryView.localTime($0.start))" } ?? "-"))
        lines.append("started by weekday: " + zip(HistoryView.weekdays, body.byWeekday).map { "\($0) \($1)" }.joined(separator: ", "))
        lines.append("started by hour: " + body.byHour.enumerated().filter { $0.element > 0 }.map { "\($0.offset):00 \($0.element)" }
            .joined(separator: ", "))
        var hours = TextTable([.init("hour", .right), .init("sessions", .right)])
        for (hour, count) in body.byHour.enumerated() { hours.append([String(hour), String(count)]) }
        return HistoryCommand.Rendering(
            table: hours, text: body.sessions == 0 ? HistoryView.noPlays(document.header) + "\n"
                : HistoryView.titled(context, document.header, lines.joined(separator: "\n") + "\n"), itemsKey: "by_hour")
    }
}
