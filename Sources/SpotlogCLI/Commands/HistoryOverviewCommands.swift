import SpotlogCore

/// `history summary`, `repeat-rate`, `coverage` and `discoveries`: overviews.
enum HistoryOverviewCommands {
    static let all = [summary, repeatRate, coverage, discoveries]

    static let summary = CommandSpec(
        "summary", aliases: ["taste-summary"], summary: "totals, top artists and tracks, habits",
        examples: [.init("spotlog history summary --period 2024", "your 2024 in one screen")],
        jsonSchema: """
            "plays": int, "ms_played": int, "hours": number, "distinct_tracks": int, "distinct_artists": int, \
            "active_days": int, "first_play": ISO 8601 or null, "last_play": ISO 8601 or null, "top_artists": [ranking \
            item], "top_tracks": [ranking item], "peak_weekday": 1-7 or null, "peak_hour": 0-23 or null, \
            "repeat_rate": number, "podcast_share": number (share of all listening time in the period)
            """
    ) { context in
        try HistoryCommand.run(context, query: "summary") { scope, header, db in
            let result = try SummaryReports.summary(scope, in: db)
            func entries(_ list: [RankedEntry], withArtist: Bool) -> JSONValue {
                .array(list.map { entry in
                    .object([.init("rank", .int(entry.rank)), .init("name", .string(entry.name))]
                            + (withArtist ? [.init("artist", .optional(entry.artist, JSONValue.string))] : [])
                            + [.init("plays", .int(entry.plays)), .init("ms_played", .int(entry.msPlayed))])
                })
            }
            let hours = Double(result.msPlayed) / 3_600_000
            let document = HistoryView.document(header, [
                .init("plays", .int(result.plays)), .init("ms_played", .int(result.msPlayed)),
                .init("hours", .double((hours * 10).rounded() / 10)), .init("distinct_tracks", .int(result.distinctTracks)),
                .init("distinct_artists", .int(result.distinctArtists)), .init("active_days", .int(result.activeDays)),
                .init("first_play", HistoryView.instant(result.firstPlay, scope)),
                .init("last_play", HistoryView.instant(result.lastPlay, scope)),
                .init("top_artists", entries(result.topArtists, withArtist: false)),
                .init("top_tracks", entries(result.topTracks, withArtist: true)),
                .init("peak_weekday", .optional(result.peakWeekday) { .int($0) }),
                .init("peak_hour", .optional(result.peakHour) { .int($0) }),
                .init("repeat_rate", .double((result.repeatRate * 10_000).rounded() / 10_000)),
                .init("podcast_share", .double((result.podcastShare * 10_000).rounded() / 10_000)),
            ])
            var table = TextTable([.init("what"), .init("value", maxWidth: 100)], showsHeader: false)
            table.append(["plays", "\(result.plays) (\(String(format: "%.1f", hours)) hours)"])
            table.append(["tracks / artists", "\(result.distinctTracks) / \(result.distinctArtists)"])
            table.append(["active days", String(result.activeDays)])
            table.append(["first / last play", "\(result.firstPlay.map { HistoryView.localTime($0, scope.period.zone) } ?? "-") / "
                          + (result.lastPlay.map { HistoryView.localTime($0, scope.period.zone) } ?? "-")])
            table.append(["top artists", result.topArtists.map(\.name).joined(separator: ", ")])
            table.append(["top tracks", result.topTracks.map { "\($0.name) (\($0.artist ?? "-"))" }.joined(separator: ", ")])
            table.append(["peak", result.peakWeekday.map { "\(HistoryView.weekdays[$0 - 1])s" } .map { day in
                day + (result.peakHour.map { " at \($0):00" } ?? "") } ?? "-"])
            table.append(["repeat rate", HistoryView.percent(result.repeatRate)])
            table.append(["podcast share", HistoryView.percent(result.podcastShare) + " of listening time"])
            return CommandOutput(document: document, table: table,
                                 text: result.plays == 0 ? "no plays in \(scope.period.label)\n"
                                    : HistoryView.titled(context, header, table.render()))
        }
    }

    static let repeatRate = CommandSpec(
        "repeat-rate", summary: "how often you play songs again, and the most replayed",
        jsonSchema: """
            "plays": int, "distinct_tracks": int, "repeats": int, "rate": number (repeats / plays), \
            "items": [ranking item of tracks played at least twice]
            """
    ) { context in
        try HistoryCommand.run(context, query: "repeat-rate") { scope, header, db in
            let report = try SummaryReports.repeats(scope, limit: context.invocation.integer(HistoryCommand.limit) ?? 10, in: db)
            let listing = HistoryListCommands.rankingOutput(
                Ranking(entries: report.mostReplayed, totalPlays: report.plays, totalMillis: 0), dimension: .tracks,
                measure: .plays, header: header, context: context)
            let document = HistoryView.document(header, [
                .init("plays", .int(report.plays)), .init("distinct_tracks", .int(report.distinctTracks)),
                .init("repeats", .int(report.repeats)), .init("rate", .double((report.rate * 10_000).rounded() / 10_000)),
                .init("items", .array(listing.items ?? [])),
            ])
            let text = "repeat rate \(HistoryView.percent(report.rate)): \(report.repeats) of \(report.plays) plays were songs "
                + "played before in the period (\(report.distinctTracks) different songs)\n" + (listing.text.map { "\n" + $0 } ?? "")
            return CommandOutput(document: document, items: listing.items, table: listing.table,
                                 text: report.plays == 0 ? "no plays in \(scope.period.label)\n" : text)
        }
    }

    static let gap = OptionSpec("gap", .duration, default: "7d", help: "report gaps longer than this many days")

    static let coverage = CommandSpec(
        "coverage", summary: "how complete the data is: sources, range, active days, gaps, last poll", options: [gap],
        examples: [.init("spotlog history coverage --gap 3d", "find holes of more than three days")],
        jsonSchema: """
            "plays_by_source": {"extended": int, "account": int, "api": int} (every play, however short), \
            "first_play": ISO 8601 or null, "last_play": ISO 8601 or null, "active_days": int, "span_days": int, \
            "gaps": [{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "days": int}], "last_poll": ISO 8601 or null, \
            "possible_gaps": [ISO 8601] (polls that found a full page of new plays: plays before them may be missing)
            """
    ) { context in
        try HistoryCommand.run(context, query: "coverage") { scope, header, db in
            let gapDays = Int((try context.invocation.durationMillis(gap) ?? 604_800_000) / 86_400_000)
            let report = try SummaryReports.coverage(scope, gapDays: gapDays, in: db)
            let gaps: [JSONValue] = report.gaps.map {
                .object(["start": .string($0.start.description), "end": .string($0.end.description), "days": .int($0.days)])
            }
            let document = HistoryView.document(header, [
                .init("plays_by_source", .object(PlaySource.allCases.map { .init($0.rawValue, .int(report.playsBySource[$0] ?? 0)) })),
                .init("first_play", HistoryView.instant(report.firstPlay, scope)),
                .init("last_play", HistoryView.instant(report.lastPlay, scope)),
                .init("active_days", .int(report.activeDays)), .init("span_days", .int(report.spanDays)),
                .init("gaps", .array(gaps)), .init("last_poll", HistoryView.instant(report.lastPoll, scope)),
                .init("possible_gaps", .array(report.possibleGaps.map { HistoryView.instant($0, scope) })),
            ])
            var table = TextTable([.init("start"), .init("end"), .init("days", .right)])
            for gap in report.gaps { table.append([gap.start.description, gap.end.description, String(gap.days)]) }
            var lines = PlaySource.allCases.map { "plays from \($0.rawValue): \(report.playsBySource[$0] ?? 0)" }
            lines.append("range: \(report.firstPlay.map { HistoryView.localTime($0, scope.period.zone) } ?? "-") to "
                         + (report.lastPlay.map { HistoryView.localTime($0, scope.period.zone) } ?? "-"))
            lines.append("active days: \(report.activeDays) of \(report.spanDays)")
            lines.append("last poll: \(report.lastPoll.map { HistoryView.localTime($0, scope.period.zone) } ?? "never")")
            for poll in report.possibleGaps {
                lines.append("possible gap: the poll of \(HistoryView.localTime(poll, scope.period.zone)) found a full page; "
                             + "plays before it may be missing")
            }
            lines.append("gaps of more than \(gapDays) days: \(report.gaps.count)")
            let text = lines.joined(separator: "\n") + "\n" + (report.gaps.isEmpty ? "" : table.render())
            return CommandOutput(document: document, items: gaps, table: table, text: HistoryView.titled(context, header, text))
        }
    }

    static let what = OptionSpec("of", .choice(["artists", "tracks"]), default: "artists", help: "first listens of artists or tracks")

    static let discoveries = CommandSpec(
        "discoveries", summary: "artists or tracks you listened to for the first time in the period", options: [what],
        examples: [.init("spotlog history discoveries --of tracks --period 4w", "new songs this month")],
        jsonSchema: """
            "of": "artists" | "tracks", "items": [{"kind": string, "name": string, "artist": string or null (tracks), \
            "first_played": ISO 8601, "plays": int (counted plays ever)}] (newest first)
            """
    ) { context in
        try HistoryCommand.run(context, query: "discoveries") { scope, header, db in
            let dimension: RankingDimension = context.invocation.string(what) == "tracks" ? .tracks : .artists
            let found = try SummaryReports.discoveries(dimension, scope: scope,
                                                       limit: context.invocation.integer(HistoryCommand.limit) ?? 10, in: db)
            let items: [JSONValue] = found.map { item in
                .object([.init("kind", .string(item.kind.rawValue)), .init("name", .string(item.name))]
                        + (dimension == .tracks ? [.init("artist", .optional(item.artist, JSONValue.string))] : [])
                        + [.init("first_played", HistoryView.instant(item.firstPlayed, scope)), .init("plays", .int(item.plays))])
            }
            var table = TextTable([.init("first played"), .init(dimension == .tracks ? "track" : "artist")]
                                  + (dimension == .tracks ? [.init("artist")] : []) + [.init("plays", .right)])
            for item in found {
                table.append([HistoryView.localTime(item.firstPlayed, scope.period.zone), item.name]
                             + (dimension == .tracks ? [item.artist ?? "-"] : []) + [String(item.plays)])
            }
            return CommandOutput(
                document: HistoryView.document(header, [.init("of", .string(dimension.rawValue)), .init("items", .array(items))]),
                items: items, table: table,
                text: found.isEmpty ? "no first listens in \(scope.period.label)\n"
                    : HistoryView.titled(context, header, table.render(header: context.style.bold)))
        }
    }
}
