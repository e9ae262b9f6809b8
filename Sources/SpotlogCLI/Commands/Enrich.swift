import SpotlogCore

/// `spotlog enrich`: fill in track details from the Web API.
enum EnrichCommand {
    static let budget = OptionSpec("budget", .integer(min: 1, max: 100_000), default: "200",
                                   help: "the most requests to send in this run")

    static let spec = CommandSpec(
        "enrich", summary: "fill in track details the export lacks (duration, all artists, album) from the Web API",
        discussion: """
            The privacy export names tracks without their duration, their other artists or their album's Spotify \
            URI and release date, nor artists with their genres and popularity. Enrichment asks the Web API for them, 50 tracks a request (one a request when \
            Spotify refuses batch lookups to the app), at most --budget requests a run; the next run goes on \
            where this one stopped. Import never uses the network; this does.
            """,
        options: [CollectorRun.all, budget],
        jsonSchema: """
            {"schema_version": 1, "items": [{"user": string, "requests": int, "enriched": int, "unknown": int, \
            "remaining": int, "artists": int, "error": string or null}]}
            """
    ) { context in
        let run = try CollectorRun(context)
        var left = context.invocation.integer(budget) ?? 200
        let reports = run.reports({ user, client in
            let report = try Enricher.run(user, client: client, database: run.database, budget: left)
            left = max(0, left - report.requests)
            return report
        }, failed: { user, error in EnrichReport(user: user.name, error: error) })
        let items: [JSONValue] = reports.map { report in
            .object([
                "user": .string(report.user), "requests": .int(report.requests), "enriched": .int(report.enriched),
                "unknown": .int(report.unknown), "remaining": .int(report.remaining), "artists": .int(report.artists),
                "error": .optional(report.error?.message, JSONValue.string),
            ])
        }
        var table = TextTable([.init("user"), .init("requests", .right), .init("enriched", .right),
                               .init("unknown", .right), .init("remaining", .right), .init("note")])
        for report in reports {
            table.append([report.user, String(report.requests), String(report.enriched), String(report.unknown),
                          String(report.remaining), report.error?.message ?? ""])
        }
        try context.emit(CommandOutput(document: .object(["schema_version": 1, "items": .array(items)]), items: items,
                                       table: table, emptyMessage: "no active user has logged in"))
        try CollectorRun.failIfAny(reports.compactMap { report in report.error.map { (report.user, $0) } })
    }
}
