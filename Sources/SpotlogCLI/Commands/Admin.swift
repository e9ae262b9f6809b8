import SpotlogCore

/// `spotlog admin`: the database and its users.
enum AdminCommand {
    static let spec = CommandSpec(
        "admin", summary: "administer the database and its users",
        subcommands: [status, AdminUsers.spec, AdminArtists.spec, AdminJobs.jobs, AdminJobs.imports])

    static let status = CommandSpec(
        "status", summary: "a dashboard: users and their state, plays lately, jobs, the database's location, size and schema",
        examples: [.init("spotlog admin status --json", "the same as a JSON object")],
        jsonSchema: """
            {"schema_version": 1, "path": string, "database_version": int (migrations applied), \
            "migrations": [string], "size_bytes": int, "users": int, "plays": int, "tracks": int, \
            "artists": int, "episodes": int, "chapters": int, "earliest_play": ISO 8601 string or null, \
            "latest_play": ISO 8601 string or null, "plays_last_24h": int, "plays_last_7d": int, \
            "user_states": [{"name": string, "status": string, "last_successful_poll": ISO 8601 or null}], \
            "running_jobs": int, "failed_jobs_7d": int}
            """
    ) { context in
        let status = try DatabaseStatus.read(from: try context.openDatabase(.readOnly), now: try HistoryParameters.now(context.environment))
        let document = JSONValue.object([
            "schema_version": 1, "path": .string(status.path), "database_version": .int(status.schemaVersion),
            "migrations": .array(status.migrations.map(JSONValue.string)), "size_bytes": .int(status.sizeBytes),
            "users": .int(status.users), "plays": .int(status.plays), "tracks": .int(status.tracks),
            "artists": .int(status.artists), "episodes": .int(status.episodes), "chapters": .int(status.chapters),
            "earliest_play": .instant(status.earliestPlay), "latest_play": .instant(status.latestPlay),
            "plays_last_24h": .int(status.playsLastDay), "plays_last_7d": .int(status.playsLastWeek),
            "user_states": .array(status.userStates.map { state in
                .object(["name": .string(state.name), "status": .string(state.status),
                         "last_successful_poll": .instant(state.lastSuccess)])
            }),
            "running_jobs": .int(status.runningJobs), "failed_jobs_7d": .int(status.failedJobs),
        ])
        var table = TextTable([.init("field"), .init("value", maxWidth: 200)], showsHeader: false)
        table.append(["database", status.path])
        table.append(["schema", "\(status.schemaVersion) (\(status.migrations.last ?? "none"))"])
        table.append(["size", Formatting.bytes(status.sizeBytes)])
        for (name, count) in [("users", status.users), ("plays", status.plays), ("tracks", status.tracks),
                              ("artists", status.artists), ("episodes", status.episodes),
                              ("chapters", status.chapters)] {
            table.append([name, String(count)])
        }
        table.append(["first play", Formatting.instant(status.earliestPlay)])
        table.append(["last play", Formatting.instant(status.latestPlay)])
        table.append(["plays lately", "\(status.playsLastDay) in 24 hours, \(status.playsLastWeek) in 7 days"])
        for state in status.userStates {
            table.append(["user \(state.name)", "\(state.status), last successful poll \(Formatting.instant(state.lastSuccess))"])
        }
        table.append(["jobs", "\(status.runningJobs) running, \(status.failedJobs) failed in 7 days"])
        try context.emit(CommandOutput(document: document, table: table))
    }
}
