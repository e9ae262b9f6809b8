import SpotlogCore

/// `history recent`, `top-artists`, `top-tracks`, `top-albums` and `search`: lists of plays or
/// of ranked items.
enum HistoryListCommands {
    static let all = [recent, topArtists, topTracks, topAlbums, search]

    static let recent = HistoryCommand.command(
        ListQueries.recent, examples: [.init("spotlog history recent -n 20 --kind all", "the last 20 plays of anything")]
    ) { document, context in
        plays(document.body.items, document: document, context: context)
    }

    static let search = HistoryCommand.command(
        ListQueries.search, examples: [.init("spotlog history search 'sigur ros' --period 2024", "plays of Sigur Rós in 2024")]
    ) { document, context in
        var rendering = plays(document.body.items, document: document, context: context)
        rendering.emptyMessage = "no plays match '\(document.body.queryText ?? "")'"
        return rendering
    }

    static let topArtists = HistoryCommand.command(
        ListQueries.topArtists, examples: [.init("spotlog history top-artists --period 1y --tz Europe/Berlin", "")], render: ranking)
    static let topTracks = HistoryCommand.command(
        ListQueries.topTracks, examples: [.init("spotlog history top-tracks --by time --period 2024", "")], render: ranking)
    static let topAlbums = HistoryCommand.command(
        ListQueries.topAlbums, examples: [.init("spotlog history top-albums -n 5 --json", "")], render: ranking)

    @Sendable static func ranking(_ document: HistoryDocument<RankingBody>, _ context: CommandContext) -> HistoryCommand.Rendering {
        var rendering = rankingTable(document.body.items, header: document.header, context: context)
        rendering.emptyMessage = HistoryView.noPlays(document.header)
        return rendering
    }

    /// A table of ranked items; the artist column only when the items name one.
    static func rankingTable(_ items: [RankingItem], header: HistoryHeader, context: CommandContext) -> HistoryCommand.Rendering {
        let withArtist = items.first?.withArtist ?? false
        let noun = header.query.hasPrefix("top-") ? String(header.query.dropFirst(4).dropLast()) : "track"
        var columns: [TextTable.Column] = [.init("#", .right), .init(noun)]
        if withArtist { columns.append(.init("artist")) }
        columns += [.init("plays", .right), .init("time", .right), .init("share", .right)]
        var table = TextTable(columns)
        for item in items {
            var row = [String(item.rank), item.name.isEmpty ? "(unknown)" : item.name]
            if withArtist { row.append(item.artist ?? "-") }
            row += [String(item.plays), HistoryView.clock(item.msPlayed), HistoryView.percent(item.share)]
            table.append(row)
        }
        let text = items.isEmpty ? nil : HistoryView.titled(context, header, table.render(header: context.style.bold))
        return HistoryCommand.Rendering(table: table, text: text)
    }

    static func plays<Body>(_ plays: [PlayItem], document: HistoryDocument<Body>, context: CommandContext) -> HistoryCommand.Rendering {
        var table = TextTable([.init("played at"), .init("track"), .init("artist"), .init("album"), .init("played", .right),
                               .init("source")])
        for play in plays {
            table.append([HistoryView.localTime(play.playedAt), play.name.isEmpty ? "(unknown)" : play.name, play.artist ?? "-",
                          play.album ?? "-", HistoryView.clock(play.msPlayed), play.source])
        }
        let text = plays.isEmpty ? nil : HistoryView.titled(context, document.header, table.render(header: context.style.bold))
        return HistoryCommand.Rendering(table: table, text: text, emptyMessage: HistoryView.noPlays(document.header))
    }
}
