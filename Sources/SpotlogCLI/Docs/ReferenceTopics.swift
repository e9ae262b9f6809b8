import SpotlogCore

/// Reference tables the man page and `spotlog help TOPIC` print: exit codes, environment
/// variables and files, each generated from the declarations the code uses.
enum ReferenceTopics {
    /// `spotlog help exit-codes`, `spotlog help environment`, `spotlog help files`.
    static let names = ["exit-codes", "environment", "files"]

    /// Every exit code with its meaning, from `ExitStatus`.
    static var exitCodes: [(code: Int32, meaning: String)] {
        [(ExitStatus.success, "success")] + SpotlogError.Category.allCases.map { (ExitStatus.code(for: $0), meaning(of: $0)) }
            .sorted { $0.0 < $1.0 }
    }

    private static func meaning(of category: SpotlogError.Category) -> String {
        switch category {
        case .failure: return "failure (a tool or command failed for another reason)"
        case .usage: return "usage error: unknown command or option, bad value"
        case .badInput: return "bad input data: a malformed export file, a file that is not a spotlog database"
        case .notFound: return "input not found: a missing path, user, artist or database"
        case .unavailable: return "a service is unavailable: Spotify cannot be reached or failed"
        case .temporary: return "temporary failure: rate limited, or another collector holds the lock; try again later"
        case .authRequired: return "Spotify authorisation required: run 'spotlog auth login'"
        case .configuration: return "configuration error: a read-only database, no client id, no encryption key"
        }
    }

    /// Every environment variable with its meaning; `EnvironmentVariable.all` lists what the code reads.
    static let environment: [(variable: EnvironmentVariable, meaning: String)] = [
        (.database, "the database file, unless --db is given"),
        (.dataHome, "where the default database and the inbox live ($XDG_DATA_HOME/spotlog)"),
        (.configHome, "where the token encryption key lives ($XDG_CONFIG_HOME/spotlog/key)"),
        (.home, "the base of the XDG defaults (~/.local/share, ~/.config)"),
        (.encryptionKey, "the Fernet key that encrypts stored tokens, instead of the key file"),
        (.clientID, "the Spotify app's client id, unless --client-id is given (remembered after a login)"),
        (.clientSecret, "the Spotify app's client secret, for a confidential app (PKCE needs none)"),
        (.accountsURL, "Spotify's accounts service (https://accounts.spotify.com), for tests and proxies"),
        (.apiURL, "Spotify's Web API (https://api.spotify.com), for tests and proxies"),
        (.now, "an ISO 8601 instant used as \"now\" by history queries, for reproducible output"),
        (.timeZone, "the default time zone of history queries (--tz wins)"),
        (.logFormat, "json to write standard error's log records as JSON lines"),
        (.noColor, "if set, output is never coloured"),
        (.terminal, "dumb turns colour off"),
    ]

    /// The files spotlog keeps, from `Locations` and `KeyStore` (default locations).
    static var files: [(path: String, meaning: String)] {
        let defaults = Locations(environment: ["HOME": "~"])
        return [
            (defaults.databasePath(explicit: nil), "the database (mode 0600, in a 0700 directory), unless SPOTLOG_DB or --db names another"),
            (KeyStore(locations: defaults).keyFile, "the key that encrypts stored Spotify tokens (mode 0600)"),
            (defaults.inboxDirectory, "export files dropped here are imported by the daemon, then moved to done/ or failed/"),
        ]
    }

    /// The topic's text for `spotlog help TOPIC`, or `nil` when `name` is no topic.
    static func text(_ name: String) -> String? {
        let rows: [(String, String)]
        switch name {
        case "exit-codes": rows = exitCodes.map { (String($0.code), $0.meaning) }
        case "environment": rows = environment.map { ($0.variable.name, $0.meaning) }
        case "files": rows = files.map { ($0.path, $0.meaning) }
        default: return nil
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n") + "\n"
    }
}
