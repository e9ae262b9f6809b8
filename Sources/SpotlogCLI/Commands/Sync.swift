import SpotlogCore

/// `spotlog sync`: the initial backward sync from the Web API.
enum SyncCommand {
    static let maxDays = OptionSpec("max-days", .integer(min: 1, max: 3650), default: "30",
                                    help: "stop at plays this many days old")
    static let maxRequests = OptionSpec("max-requests", .integer(min: 1, max: 10_000), default: "200",
                                        help: "stop after this many requests")

    static let spec = CommandSpec(
        "sync", summary: "fetch the plays the Web API still serves, going back page by page",
        discussion: """
            Pages backwards through recently-played until it stops: exhausted (an empty page), no_progress (the \
            cursor did not move), max_days, max_requests or rate_limited. Spotify serves only the latest 50 or so \
            plays, so a sync usually ends after one page: the rest of your history is in Spotify's privacy \
            export, which 'spotlog import' reads. The stop reason is kept in the user's sync state.
            """,
        options: [CollectorRun.all, maxDays, maxRequests],
        jsonSchema: """
            {"schema_version": 1, "items": [{"user": string, "requests": int, "fetched": int, "inserted": int, \
            "duplicates": int, "stop_reason": "exhausted" | "no_progress" | "max_days" | "max_requests" | \
            "rate_limited" | null, "oldest": ISO 8601 or null, "error": string or null}]}
            """
    ) { context in
        let run = try CollectorRun(context)
        let limits = InitialSync.Limits(maxDays: context.invocation.integer(maxDays) ?? 30,
                                        maxRequests: context.invocation.integer(maxRequests) ?? 200)
        let reports = run.reports({ user, client in
            try InitialSync.run(user, client: client, database: run.database, limits: limits)
        }, failed: { user, error in SyncReport(user: user.name, error: error) })
        let items: [JSONValue] = reports.map { report in
            .object([
                "user": .string(report.user), "requests": .int(report.requests), "fetched": .int(report.fetched),
                "inserted": .int(report.inserted), "duplicates": .int(report.duplicates),
                "stop_reason": .optional(report.stopReason?.rawValue, JSONValue.string), "oldest": .instant(report.oldest),
                "error": .optional(report.error?.message, JSONValue.string),
            ])
        }
        var table = TextTable([.init("user"), .init("requests", .right), .init("fetched", .right), .init("new", .right),
                               .init("stopped"), .init("oldest play")])
        for report in reports {
            table.append([report.user, String(report.requests), String(report.fetched), String(report.inserted),
                          report.stopReason?.rawValue ?? report.error?.message ?? "-", Formatting.instant(report.oldest)])
        }
        try context.emit(CommandOutput(document: .object(["schema_version": 1, "items": .array(items)]), items: items,
                                       table: table, emptyMessage: "no active user has logged in"))
        if !context.quiet && reports.contains(where: { $0.stopReason == .exhausted }) {
            context.console.err("""
                spotlog: Spotify serves only the latest 50 or so plays; for older ones, request your privacy export \
                and run 'spotlog import'\n
                """)
        }
        try CollectorRun.failIfAny(reports.compactMap { report in report.error.map { (report.user, $0) } })
    }
}
