import SpotlogCore

/// `history artist`, `track` and `album`: one thing in depth.
enum HistoryProfileCommands {
    static let all = [artist, track, album]

    static let artist = HistoryCommand.command(
        ProfileQueries.artist,
        examples: [.init("spotlog history artist 'Sigur Rós' --period 2024", "one artist's 2024"),
                   .init("spotlog history artist spotify:artist:7JPCqdU1Q0JSWEp9m0TV6L", "by Spotify URI")],
        render: render)
    static let track = HistoryCommand.command(
        ProfileQueries.track,
        examples: [.init("spotlog history track 'Intro' --artist 'The xx'", "a title several artists use")], render: render)
    static let album = HistoryCommand.command(
        ProfileQueries.album, examples: [.init("spotlog history album 'Homogenic' --tz Europe/Oslo", "one album, months in Oslo time")],
        render: render)

    @Sendable static func render(_ document: HistoryDocument<ProfileBody>, _ context: CommandContext) -> HistoryCommand.Rendering {
        let body = document.body
        var facts = TextTable([.init("what"), .init("value", maxWidth: 100)], showsHeader: false)
        facts.append([body.subject, body.name + (body.artist.map { " (\($0))" } ?? "")])
        facts.append(["plays", "\(body.plays) in \(document.header.period.label), \(HistoryView.clock(body.msPlayed)) played"])
        facts.append(["all time", "\(body.allTimePlays) plays, \(HistoryView.clock(body.allTimeMsPlayed)) played"])
        facts.append(["first / last play", "\(HistoryView.localTime(body.firstPlayed)) / \(HistoryView.localTime(body.lastPlayed))"])
        let noun = body.subject == "artist" ? "artists" : body.subject == "album" ? "albums" : "songs"
        facts.append(["rank", body.rank.map { "\($0) of \(body.ranked) \(noun)" } ?? "-"])
        facts.append(["longest streak", body.longestStreak.map { "\($0.days) days (\($0.start) to \($0.end))" } ?? "-"])
        var top = TextTable([.init("#", .right), .init(body.subject == "track" ? "artist" : "song"), .init("plays", .right),
                             .init("time", .right)])
        for item in body.top { top.append([String(item.rank), item.name, String(item.plays), HistoryView.clock(item.msPlayed)]) }
        var months = TextTable([.init("month"), .init("plays", .right), .init("time", .right)])
        for month in body.months { months.append([month.month, String(month.plays), HistoryView.clock(month.msPlayed)]) }
        let text = facts.render() + (body.top.isEmpty ? "" : "\n" + top.render(header: context.style.bold))
            + (body.months.isEmpty ? "" : "\n" + months.render(header: context.style.bold))
        return HistoryCommand.Rendering(table: months, text: HistoryView.titled(context, document.header, text), itemsKey: "months")
    }
}
