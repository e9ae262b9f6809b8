import Foundation
import SpotlogCore

/// `spotlog admin users ...`: the people whose history spotlog keeps.
enum AdminUsers {
    static let name = ArgumentSpec("NAME", help: "the user's name (or Spotify id)")
    static let yes = OptionSpec("yes", short: "y", help: "delete without asking")

    static let spec = CommandSpec(
        "users", summary: "manage the people whose history spotlog keeps",
        subcommands: [add, list, show, pause, resume, triggerSync, delete])

    static let add = CommandSpec(
        "add", summary: "add a local user (a later 'auth login --user NAME' or 'import --user NAME' fills it)",
        arguments: [name], jsonSchema: "{\"schema_version\": 1, \"id\": int, \"name\": string}"
    ) { context in
        let handle = context.invocation.argument(name) ?? ""
        guard !handle.trimmingCharacters(in: .whitespaces).isEmpty else { throw SpotlogError.usage("the user's name is empty") }
        let directory = UserDirectory(database: try context.openDatabase())
        if try directory.find(handle) != nil { throw SpotlogError.usage("a user named '\(handle)' exists already") }
        let user = try directory.create(name: handle)
        try context.emit(CommandOutput(document: .object(["schema_version": 1, "id": .int(try user.rowID), "name": .string(user.name)]),
                                       text: "added user '\(user.name)'\n"))
    }

    static let list = CommandSpec(
        "list", aliases: ["ls"], summary: "list users: status, plays, first and last play, last poll, token expiry",
        jsonSchema: """
            [{"id": int, "name": string, "spotify_id": string or null, "display_name": string or null, \
            "status": "active" | "paused" | "needs_reauth", "created_at": ISO 8601 string, "plays": int, \
            "first_play": ISO 8601 or null, "last_play": ISO 8601 or null, "last_poll": ISO 8601 or null, \
            "token_expires_at": ISO 8601 or null}]
            """
    ) { context in
        let users = try UserOverview.all(in: try context.openDatabase(.readOnly))
        let items: [JSONValue] = try users.map { overview in
            let user = overview.user
            return .object([
                "id": .int(try user.rowID), "name": .string(user.name),
                "spotify_id": .optional(user.spotifyId, JSONValue.string),
                "display_name": .optional(user.displayName, JSONValue.string),
                "status": .string(user.status.rawValue), "created_at": .instant(user.createdAt),
                "plays": .int(overview.plays), "first_play": .instant(overview.firstPlay),
                "last_play": .instant(overview.lastPlay), "last_poll": .instant(overview.lastPoll),
                "token_expires_at": .instant(overview.accessExpiresAt),
            ])
        }
        var table = TextTable([.init("id", .right), .init("name"), .init("spotify id"), .init("status"),
                               .init("plays", .right), .init("first play"), .init("last play"), .init("last poll"),
                               .init("token expires")])
        for overview in users {
            let user = overview.user
            table.append([String(try user.rowID), user.name, user.spotifyId ?? "-", user.status.rawValue,
                          String(overview.plays), Formatting.instant(overview.firstPlay), Formatting.instant(overview.lastPlay),
                          Formatting.instant(overview.lastPoll), Formatting.instant(overview.accessExpiresAt)])
        }
        try context.emit(CommandOutput(
            document: .array(items), items: items, table: table,
            emptyMessage: "no users yet; 'spotlog import' or 'spotlog auth login' creates one"))
    }

    static let show = CommandSpec(
        "show", summary: "one user in full: sync state, login, plays by source and kind, latest jobs and imports",
        arguments: [name],
        jsonSchema: """
            {"schema_version": 1, "id": int, "name": string, "spotify_id": string or null, "status": string, \
            "plays": int, "plays_by_source": {"SOURCE/KIND": int}, "first_play": ISO 8601 or null, \
            "last_play": ISO 8601 or null, "sync": {"initial_sync": string or null, "stop_reason": string or null, \
            "last_poll": ..., "last_success": ..., "last_error": string or null, "rate_limited_until": ...}, \
            "login": {"access_expires_at": ..., "authorized_at": ..., "refresh_token_age_days": int or null}, \
            "jobs": [job run, as in 'admin jobs'], "imports": [import job, as in 'admin imports']}
            """
    ) { context in
        let database = try context.openDatabase(.readOnly)
        let user = try UserDirectory(database: database).require(context.invocation.argument(name) ?? "")
        let overview = try UserOverview.of(user, in: database)
        let jobs = try JobListing.jobRunPage(.init(userID: try user.rowID, limit: 5), in: database).items
        let imports = try JobListing.importJobPage(.init(userID: try user.rowID, limit: 5), in: database).items
        let age = overview.authorizedAt.map { Int((EpochMillis.now() - $0) / 86_400_000) }
        let document = JSONValue.object([
            "schema_version": 1, "id": .int(try user.rowID), "name": .string(user.name),
            "spotify_id": .optional(user.spotifyId, JSONValue.string), "status": .string(user.status.rawValue),
            "plays": .int(overview.plays),
            "plays_by_source": .object(overview.playsBySourceAndKind.sorted { $0.key < $1.key }.map { .init($0.key, .int($0.value)) }),
            "first_play": .instant(overview.firstPlay), "last_play": .instant(overview.lastPlay),
            "sync": .object([
                "initial_sync": .optional(overview.initialSyncStatus, JSONValue.string),
                "stop_reason": .optional(overview.initialSyncStopReason, JSONValue.string),
                "last_poll": .instant(overview.lastPoll), "last_success": .instant(overview.lastSuccess),
                "last_error": .optional(overview.lastError, JSONValue.string),
                "rate_limited_until": .instant(overview.rateLimitedUntil),
            ]),
            "login": .object([
                "access_expires_at": .instant(overview.accessExpiresAt), "authorized_at": .instant(overview.authorizedAt),
                "refresh_token_age_days": .optional(age, JSONValue.int),
            ]),
            "jobs": try DocumentEncoder().encode(jobs), "imports": try DocumentEncoder().encode(imports),
        ])
        var lines = ["user \(user.name) (\(user.spotifyId ?? "no Spotify login")), \(user.status.rawValue)",
                     "plays: \(overview.plays) (" + overview.playsBySourceAndKind.sorted { $0.key < $1.key }
                        .map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")",
                     "range: \(Formatting.instant(overview.firstPlay)) to \(Formatting.instant(overview.lastPlay))",
                     "initial sync: \(overview.initialSyncStatus ?? "pending")"
                        + (overview.initialSyncStopReason.map { " (\($0))" } ?? ""),
                     "last poll: \(Formatting.instant(overview.lastPoll)), last success: \(Formatting.instant(overview.lastSuccess))",
                     "login: " + (overview.authorizedAt.map { _ in
                        "access token expires \(Formatting.instant(overview.accessExpiresAt)), refresh token \(age ?? 0) days old"
                     } ?? "none")]
        if let error = overview.lastError { lines.append("last error: \(error)") }
        if let limited = overview.rateLimitedUntil { lines.append("rate limited until \(Formatting.instant(limited))") }
        lines.append("latest jobs: " + (jobs.isEmpty ? "none" : jobs.map { "\($0.type) \($0.status)" }
            .joined(separator: ", ")))
        try context.emit(CommandOutput(document: document, text: lines.joined(separator: "\n") + "\n"))
    }

    static let pause = statusChange("pause", to: .paused, summary: "pause a user: the collector skips them")
    static let resume = statusChange("resume", to: .active, summary: "resume a paused user")

    static func statusChange(_ word: String, to status: User.Status, summary: String) -> CommandSpec {
        CommandSpec(word, summary: summary, arguments: [name],
                    jsonSchema: "{\"schema_version\": 1, \"name\": string, \"status\": string}") { context in
            let directory = UserDirectory(database: try context.openDatabase())
            let user = try directory.require(context.invocation.argument(name) ?? "")
            try directory.setStatus(status, of: user)
            try context.emit(CommandOutput(document: .object(["schema_version": 1, "name": .string(user.name),
                                                              "status": .string(status.rawValue)]),
                                           text: "user '\(user.name)' is \(status.rawValue)\n"))
        }
    }

    static let triggerSync = CommandSpec(
        "trigger-sync", summary: "make an initial sync (and a poll) due on the daemon's next cycle", arguments: [name],
        jsonSchema: "{\"schema_version\": 1, \"name\": string, \"initial_sync\": \"pending\"}"
    ) { context in
        let directory = UserDirectory(database: try context.openDatabase())
        let user = try directory.require(context.invocation.argument(name) ?? "")
        try directory.triggerSync(of: user)
        try context.emit(CommandOutput(document: .object(["schema_version": 1, "name": .string(user.name),
                                                          "initial_sync": "pending"]),
                                       text: "an initial sync of '\(user.name)' is due on the daemon's next cycle\n"))
    }

    static let delete = CommandSpec(
        "delete", summary: "delete a user with all their plays, tokens, jobs, imports and logs",
        discussion: """
            In one transaction: the user, every play, token, job run, import and log record of theirs; catalogue \
            entries no other user's plays refer to are removed too. Other users' history is untouched. On a \
            terminal it asks first; otherwise it needs --yes.
            """,
        arguments: [name], options: [yes],
        jsonSchema: "{\"schema_version\": 1, \"name\": string, \"deleted_plays\": int}"
    ) { context in
        let database = try context.openDatabase()
        let user = try UserDirectory(database: database).require(context.invocation.argument(name) ?? "")
        let plays = try UserOverview.of(user, in: database).plays
        if !context.invocation.flag(yes) {
            guard isatty(STDIN_FILENO) == 1 else {
                throw SpotlogError.usage("deleting '\(user.name)' and \(plays) plays needs --yes when not asked on a terminal")
            }
            context.console.err("delete user '\(user.name)' and all \(plays) plays, tokens, jobs and logs? [y/N] ")
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                throw SpotlogError.usage("nothing deleted")
            }
        }
        try PlayLedger(database: database).removeUser(try user.rowID)
        try context.emit(CommandOutput(document: .object(["schema_version": 1, "name": .string(user.name),
                                                          "deleted_plays": .int(plays)]),
                                       text: "deleted user '\(user.name)' and \(plays) plays\n"))
    }
}
