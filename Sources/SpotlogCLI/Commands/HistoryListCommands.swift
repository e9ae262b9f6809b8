import SpotlogCore

/// `history recent`, `top-artists`, `top-tracks`, `top-albums` and `search`: lists of plays or
/// of ranked items.
enum HistoryListCommands {
    static let all = [recent, topArtists, topTracks, topAlbums, search]

    static let recent = CommandSpec(
        "recent", summary: "the latest plays",
        examples: [.init("spotlog history recent -n 20 --kind all", "the last 20 plays of anything")],
        jsonSchema: """
            "items": [{"played_at": ISO 8601, "kind": string, "name": string, "artist": string or null, \
            "album": string or null, "ms_played": int, "source": "api" | "extended" | "account"}]
            """
    ) { context in
        try HistoryCommand.run(context, query: "recent") { scope, header, db in
            let limit = context.invocation.integer(HistoryCommand.limit) ?? 10
            return plays(try PlayListing.recent(scope, limit: limit, in: db), scope: scope, header: header, context: context)
        }
    }

    static let query = ArgumentSpec("QUERY", help: "text to find in track, artist or album names (case and accents ignored)")

    static let search = CommandSpec(
        "search", summary: "plays whose track, artist or album matches QUERY", arguments: [query],
        examples: [.init("spotlog history search 'sigur ros' --period 2024", "plays of Sigur Rós in 2024")],
        jsonSchema: "\"query_text\": string, \"items\": [same as recent]"
    ) { context in
        let text = context.invocation.argument(query) ?? ""
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw SpotlogError.usage("QUERY cannot be empty") }
        try HistoryCommand.run(context, query: "search") { scope, header, db in
            let limit = context.invocation.integer(HistoryCommand.limit) ?? 10
            var output = plays(try PlayListing.search(text, scope: scope, limit: limit, in: db), scope: scope, header: header,
                               context: context, extra: [.init("query_text", .string(text))])
            output.emptyMessage = "no plays match '\(text)'"
            return output
        }
    }

    static func ranking(_ dimension: RankingDimension, summary: String, example: String) -> CommandSpec {
        let name = "top-\(dimension.rawValue)"
        return CommandSpec(
            name, summary: summary, options: [HistoryCommand.by],
            examples: [.init(example, "")],
            jsonSchema: """
                "by": "plays" | "time", "total_plays": int, "total_ms": int, "items": [{"rank": int, "kind": string, \
                "name": string, \(dimension == .artists ? "" : "\"artist\": string or null, ")"plays": int, "ms_played": int, \
                "share": number (0-1, of plays or time)}]
                """
        ) { context in
            try HistoryCommand.run(context, query: name) { scope, header, db in
                let measure = RankingMeasure(rawValue: context.invocation.string(HistoryCommand.by) ?? "plays") ?? .plays
                let ranking = try Rankings.rank(dimension, by: measure, scope: scope,
                                                limit: context.invocation.integer(HistoryCommand.limit), in: db)
                return rankingOutput(ranking, dimension: dimension, measure: measure, header: header, context: context)
            }
        }
    }

    static let topArtists = ranking(.artists, summary: "artists (shows, books) ranked by plays or time",
                                    example: "spotlog history top-artists --period 1y --tz Europe/Berlin")
    static let topTracks = ranking(.tracks, summary: "tracks (episodes, chapters) ranked by plays or time",
                                   example: "spotlog history top-tracks --by time --period 2024")
    static let topAlbums = ranking(.albums, summary: "albums ranked by plays or time (music)",
                                   example: "spotlog history top-albums -n 5 --json")

    static func rankingOutput(_ ranking: Ranking, dimension: RankingDimension, measure: RankingMeasure,
                              header: HistoryView.Header, context: CommandContext) -> CommandOutput {
        let items: [JSONValue] = ranking.entries.map { entry in
            var members: [JSONValue.Member] = [.init("rank", .int(entry.rank)), .init("kind", .string(entry.kind.rawValue)),
                                               .init("name", .string(entry.name))]
            if dimension != .artists { members.append(.init("artist", .optional(entry.artist, JSONValue.string))) }
            members += [.init("plays", .int(entry.plays)), .init("ms_played", .int(entry.msPlayed)),
                        .init("share", .double((entry.share * 10_000).rounded() / 10_000))]
            return .object(members)
        }
        var columns: [TextTable.Column] = [.init("#", .right), .init(dimension == .artists ? "artist" : String(dimension.rawValue.dropLast()))]
        if dimension != .artists { columns.append(.init("artist")) }
        columns += [.init("plays", .right), .init("time", .right), .init("share", .right)]
        var table = TextTable(columns)
        for entry in ranking.entries {
            var row = [String(entry.rank), entry.name.isEmpty ? "(unknown)" : entry.name]
            if dimension != .artists { row.append(entry.artist ?? "-") }
            row += [String(entry.plays), HistoryView.clock(entry.msPlayed), HistoryView.percent(entry.share)]
            table.append(row)
        }
        let text = ranking.entries.isEmpty ? nil : HistoryView.titled(context, header, table.render(header: context.style.bold))
        return CommandOutput(
            document: HistoryView.document(header, [
                .init("by", .string(measure.rawValue)), .init("total_plays", .int(ranking.totalPlays)),
                .init("total_ms", .int(ranking.totalMillis)), .init("items", .array(items)),
            ]),
            items: items, table: table, text: text, emptyMessage: "no plays in \(header.scope?.period.label ?? "this period")")
    }

    static func plays(_ plays: [ListedPlay], scope: HistoryScope, header: HistoryView.Header, context: CommandContext,
                      extra: [JSONValue.Member] = []) -> CommandOutput {
        let items: [JSONValue] = plays.map { play in
            .object([
                "played_at": HistoryView.instant(play.playedAt, scope), "kind": .string(play.kind.rawValue),
                "name": .string(play.label.name), "artist": .optional(play.label.creator, JSONValue.string),
                "album": .optional(play.label.album, JSONValue.string), "ms_played": .int(play.msPlayed),
                "source": .string(play.source.rawValue),
            ])
        }
        var table = TextTable([.init("played at"), .init("track"), .init("artist"), .init("album"), .init("played", .right),
                               .init("source")])
        for play in plays {
            table.append([HistoryView.localTime(play.playedAt, scope.period.zone), play.label.name.isEmpty ? "(unknown)" : play.label.name,
                          play.label.creator ?? "-", play.label.album ?? "-", HistoryView.clock(play.msPlayed), play.source.rawValue])
        }
        let text = plays.isEmpty ? nil : HistoryView.titled(context, header, table.render(header: context.style.bold))
        return CommandOutput(document: HistoryView.document(header, extra + [.init("items", .array(items))]), items: items,
                             table: table, text: text, emptyMessage: "no plays in \(scope.period.label)")
    }
}
