import SpotlogCore

/// `spotlog admin`: the database and its users.
enum AdminCommand {
    static let spec = CommandSpec(
        "admin", summary: "administer the database and its users",
        subcommands: [status, AdminUsers.spec, AdminJobs.jobs, AdminJobs.imports])

    static let status = CommandSpec(
        "status", summary: "show the database location, schema version, size and counts",
        examples: [.init("spotlog admin status --json", "the same as a JSON object")],
        jsonSchema: """
            {"schema_version": 1, "path": string, "database_version": int (migrations applied), \
            "migrations": [string], "size_bytes": int, "users": int, "plays": int, "tracks": int, \
            "artists": int, "episodes": int, "chapters": int, "earliest_play": ISO 8601 string or null, \
            "latest_play": ISO 8601 string or null}
            """
    ) { context in
        let status = try DatabaseStatus.read(from: try context.openDatabase(.readOnly))
        let document = JSONValue.object([
            "schema_version": 1, "path": .string(status.path), "database_version": .int(status.schemaVersion),
            "migrations": .array(status.migrations.map(JSONValue.string)), "size_bytes": .int(status.sizeBytes),
            "users": .int(status.users), "plays": .int(status.plays), "tracks": .int(status.tracks),
            "artists": .int(status.artists), "episodes": .int(status.episodes), "chapters": .int(status.chapters),
            "earliest_play": .instant(status.earliestPlay), "latest_play": .instant(status.latestPlay),
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
        try context.emit(CommandOutput(document: document, table: table))
    }
}
