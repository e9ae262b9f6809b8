import SpotlogCore

/// `spotlog poll`: fetch new plays from the Web API once.
enum PollCommand {
    static let spec = CommandSpec(
        "poll", summary: "fetch new plays from the Web API once",
        discussion: """
            Asks recently-played for the plays after the newest one stored for each user (from any source) and \
            stores the new ones once; when nothing is new it costs one request. A full page (50 plays) means plays \
            may have been missed since the last poll: poll more often (the daemon polls every 10 minutes). Only \
            one collector (poll, sync, daemon) works on a database at a time; another exits 75. Exit codes: 69 \
            Spotify unreachable, 75 rate limited or locked, 77 the user must log in again.
            """,
        options: [CollectorRun.all],
        examples: [.init("spotlog poll --all --quiet", "poll every user (for cron)")],
        jsonSchema: """
            {"schema_version": 1, "items": [{"user": string, "fetched": int, "inserted": int, "duplicates": int, \
            "gap_possible": bool, "rate_limited_until": ISO 8601 or null, "error": string or null}]}
            """
    ) { context in
        let run = try CollectorRun(context)
        let reports = run.reports({ user, client in try Poller.poll(user, client: client, database: run.database) },
                                  failed: { user, error in PollReport(user: user.name, error: error) })
        try context.emit(output(reports))
        try CollectorRun.failIfAny(reports.compactMap { report in report.error.map { (report.user, $0) } })
    }

    static func output(_ reports: [PollReport]) -> CommandOutput {
        let items: [JSONValue] = reports.map { report in
            .object([
                "user": .string(report.user), "fetched": .int(report.fetched), "inserted": .int(report.inserted),
                "duplicates": .int(report.duplicates), "gap_possible": .bool(report.gapPossible),
                "rate_limited_until": .instant(report.rateLimitedUntil),
                "error": .optional(report.error?.message, JSONValue.string),
            ])
        }
        var table = TextTable([.init("user"), .init("fetched", .right), .init("new", .right), .init("duplicates", .right),
                               .init("note")])
        for report in reports {
            let note = report.error?.message ?? (report.gapPossible ? "full page: plays may be missing" : "")
            table.append([report.user, String(report.fetched), String(report.inserted), String(report.duplicates), note])
        }
        return CommandOutput(document: .object(["schema_version": 1, "items": .array(items)]), items: items, table: table,
                             emptyMessage: "no active user has logged in; 'spotlog auth login' connects one")
    }
}
