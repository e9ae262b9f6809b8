import SpotlogCore

/// `history forgotten`: the deeper questions.
enum HistoryDeeperCommands {
    static let all = [forgotten]

    static let forgotten = HistoryCommand.command(
        DeeperQueries.forgotten,
        examples: [.init("spotlog history forgotten --min-plays 20 --not-since 1y", "old favourites of a year ago and more"),
                   .init("spotlog history forgotten --by artist", "artists you stopped listening to")]
    ) { document, context in
        let body = document.body, songs = body.by == "track"
        var table = TextTable([.init("#", .right), .init(songs ? "track" : "artist")] + (songs ? [.init("artist")] : [])
                              + [.init("plays", .right), .init("last played")])
        for item in body.items {
            table.append([String(item.rank), item.name] + (songs ? [item.artist ?? "-"] : [])
                         + [String(item.plays), HistoryView.localTime(item.lastPlayed)])
        }
        let cutOff = String(body.cutOff.prefix(10))
        return HistoryCommand.Rendering(
            table: table,
            text: body.items.isEmpty
                ? "nothing forgotten: no \(body.by) with \(body.minPlays) plays has gone unplayed since \(cutOff)\n"
                : HistoryView.titled(context, document.header, "not played since \(cutOff):\n"
                                     + table.render(header: context.style.bold)))
    }
}
