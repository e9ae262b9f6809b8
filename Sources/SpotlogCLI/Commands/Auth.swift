import Foundation
import SpotlogCore

/// `spotlog auth login|status|logout`: the connection to Spotify.
enum AuthCommand {
    static let spec = CommandSpec(
        "auth", summary: "log in to Spotify, show token status, log out", subcommands: [login, status, logout])

    static let clientID = OptionSpec(
        "client-id", .text, placeholder: "ID", environment: EnvironmentVariable.clientID.name,
        help: "your Spotify app's client id (remembered after the first login)")
    static let port = OptionSpec("port", .integer(min: 0, max: 65_535), default: "8888",
                                 help: "port of the redirect URI http://127.0.0.1:PORT/callback (0 picks a free one)")
    static let timeout = OptionSpec("timeout", .duration, default: "5m", help: "how long to wait for the browser")
    static let noBrowser = OptionSpec("no-browser", help: "only print the URL to open; do not start a browser")
    static let manual = OptionSpec(
        "manual", help: "paste the URL the browser was redirected to (for machines without a browser, over SSH)")

    static let login = CommandSpec(
        "login", summary: "authorise spotlog to read your Spotify listening (OAuth with PKCE)",
        discussion: """
            Opens Spotify's authorisation page (always printing its URL) and waits on 127.0.0.1 for the \
            redirect. Register http://127.0.0.1:8888/callback as a redirect URI of your app (Spotify rejects \
            'localhost'). Tokens are stored encrypted (Fernet; key from SPOTLOG_ENCRYPTION_KEY or \
            $XDG_CONFIG_HOME/spotlog/key). The login attaches to the user with that Spotify id, else the one \
            named by --user, else the only user without a Spotify id (one an offline import made), else a new \
            user. Set SPOTIFY_CLIENT_SECRET to use the confidential flow instead of PKCE. \
            SPOTLOG_SPOTIFY_ACCOUNTS_URL and SPOTLOG_SPOTIFY_API_URL override Spotify's addresses.
            """,
        options: [clientID, port, timeout, noBrowser, manual],
        examples: [.init("spotlog auth login --client-id 0123abcd", "log in, opening a browser"),
                   .init("spotlog auth login --manual", "log in over SSH, pasting the redirected URL")],
        jsonSchema: "{\"schema_version\": 1, \"user\": string, \"spotify_id\": string, \"display_name\": string or null}"
    ) { context in
        let database = try context.openDatabase()
        let invocation = context.invocation
        let configuration = try SpotifyConfiguration.resolve(
            environment: context.environment, explicitClientID: invocation.string(clientID), database: database)
        let fernet = try KeyStore(locations: context.locations).fernet()
        let portNumber = invocation.integer(port) ?? 8888
        let callback: SpotifyLogin.Callback = invocation.flag(manual)
            ? .manual(redirectPort: portNumber == 0 ? 8888 : portNumber, readRedirect: {
                context.console.err("paste the URL your browser was redirected to, then press Enter:\n")
                return readLine(strippingNewline: true)
            })
            : .loopback(port: portNumber, timeout: TimeInterval(try invocation.durationMillis(timeout) ?? 300_000) / 1000)
        let interaction = SpotifyLogin.Interaction(
            present: { url in
                context.console.err("spotlog: open this URL to authorise spotlog:\n  \(url.absoluteString)\n")
                if !invocation.flag(noBrowser) && !invocation.flag(manual) { openBrowser(url) }
            },
            choose: { users in try chooseUser(users, context: context) })
        let result = try SpotifyLogin(database: database, fernet: fernet, configuration: configuration)
            .run(callback: callback, userHandle: context.userHandle, interaction: interaction)
        let document = JSONValue.object([
            "schema_version": 1, "user": .string(result.user.name), "spotify_id": .string(result.profile.id),
            "display_name": .optional(result.profile.displayName, JSONValue.string),
        ])
        try context.emit(CommandOutput(document: document, text: """
            logged in to Spotify as \(result.profile.displayName ?? result.profile.id) (\(result.profile.id)); \
            plays are kept for user '\(result.user.name)'

            """))
    }

    /// Starts the desktop's browser on `url`, quietly, when there is one.
    private static func openBrowser(_ url: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }

    /// Asks which user a login belongs to (on a terminal), or fails listing them.
    private static func chooseUser(_ users: [User], context: CommandContext) throws -> User {
        let names = users.map(\.name)
        guard isatty(STDIN_FILENO) == 1 else {
            throw SpotlogError.usage("several users could own this login; choose one with --user (users: \(names.joined(separator: ", ")))")
        }
        for (index, name) in names.enumerated() { context.console.err("  \(index + 1)) \(name)\n") }
        context.console.err("which user is this Spotify account? [1-\(names.count)]: ")
        guard let answer = readLine().flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
              (1...users.count).contains(answer) else {
            throw SpotlogError.usage("no user chosen; use --user")
        }
        return users[answer - 1]
    }

    static let status = CommandSpec(
        "status", summary: "show each user's Spotify login: token state, refresh token age and expiry",
        discussion: "Offline: reads the database only. Spotify refresh tokens expire six months after authorisation; "
            + "refreshing does not extend that.",
        jsonSchema: """
            {"schema_version": 1, "items": [{"user": string, "spotify_id": string or null, "status": "active" | \
            "paused" | "needs_reauth", "token": "valid" | "expired" | "none" | "undecryptable", "access_expires_at": \
            ISO 8601 or null, "authorized_at": ISO 8601 or null, "refresh_token_age_days": int or null, \
            "refresh_token_expires_at": ISO 8601 or null, "rate_limited_until": ISO 8601 or null}]}
            """
    ) { context in
        let database = try context.openDatabase(.readOnly)
        let users = try UserDirectory(database: database).all().filter { context.userHandle == nil || $0.name == context.userHandle
            || $0.spotifyId == context.userHandle }
        if let handle = context.userHandle, users.isEmpty { throw SpotlogError.notFound("no user named '\(handle)'") }
        let fernet = try? KeyStore(locations: context.locations).fernet(createIfMissing: false)
        let now = EpochMillis.now()
        var items: [JSONValue] = []
        var table = TextTable([.init("user"), .init("spotify id"), .init("status"), .init("token"), .init("authorised"),
                               .init("refresh expires")])
        for state in try LoginState.read(users, database: database, fernet: fernet, now: now) {
            let user = state.user, tokens = state.tokens
            items.append(.object([
                "user": .string(user.name), "spotify_id": .optional(user.spotifyId, JSONValue.string),
                "status": .string(user.status.rawValue), "token": .string(state.token.rawValue),
                "access_expires_at": .instant(tokens?.accessExpiresAt), "authorized_at": .instant(tokens?.authorizedAt),
                "refresh_token_age_days": .optional(tokens.map { (now - $0.authorizedAt) / 86_400_000 }) { .int($0) },
                "refresh_token_expires_at": .instant(tokens?.refreshTokenExpiresAt),
                "rate_limited_until": .instant(state.rateLimitedUntil),
            ]))
            table.append([user.name, user.spotifyId ?? "-", user.status.rawValue, state.token.rawValue,
                          tokens.map { String($0.authorizedAt.iso8601.prefix(10)) } ?? "-",
                          tokens.map { String($0.refreshTokenExpiresAt.iso8601.prefix(10)) } ?? "-"])
        }
        try context.emit(CommandOutput(document: .object(["schema_version": 1, "items": .array(items)]), items: items,
                                       table: table, emptyMessage: "no users yet; 'spotlog auth login' creates one"))
    }

    static let logout = CommandSpec(
        "logout", summary: "forget a user's Spotify tokens (the listening history stays)",
        jsonSchema: "{\"schema_version\": 1, \"user\": string, \"removed\": bool}"
    ) { context in
        let database = try context.openDatabase()
        guard let user = try UserDirectory(database: database).resolve(context.userHandle) else {
            throw SpotlogError.notFound("no users yet")
        }
        let removed = try TokenVault.forget(userID: try user.rowID, in: database)
        try context.emit(CommandOutput(
            document: .object(["schema_version": 1, "user": .string(user.name), "removed": .bool(removed)]),
            text: removed ? "logged user '\(user.name)' out of Spotify; the history stays\n"
                : "user '\(user.name)' was not logged in\n"))
    }
}
