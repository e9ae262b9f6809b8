/// Every environment variable spotlog reads, declared once: the code reads them by these names,
/// and the CLI documents each (man page ENVIRONMENT, `spotlog help environment`); a test checks
/// that none goes undocumented.
public struct EnvironmentVariable: Sendable, Hashable {
    public let name: String

    private init(_ name: String) { self.name = name }

    public static let database = EnvironmentVariable("SPOTLOG_DB")
    public static let home = EnvironmentVariable("HOME")
    public static let dataHome = EnvironmentVariable("XDG_DATA_HOME")
    public static let configHome = EnvironmentVariable("XDG_CONFIG_HOME")
    public static let encryptionKey = EnvironmentVariable("SPOTLOG_ENCRYPTION_KEY")
    public static let clientID = EnvironmentVariable("SPOTIFY_CLIENT_ID")
    public static let clientSecret = EnvironmentVariable("SPOTIFY_CLIENT_SECRET")
    public static let accountsURL = EnvironmentVariable("SPOTLOG_SPOTIFY_ACCOUNTS_URL")
    public static let apiURL = EnvironmentVariable("SPOTLOG_SPOTIFY_API_URL")
    public static let now = EnvironmentVariable("SPOTLOG_NOW")
    public static let timeZone = EnvironmentVariable("TZ")
    public static let logFormat = EnvironmentVariable("SPOTLOG_LOG_FORMAT")
    public static let noColor = EnvironmentVariable("NO_COLOR")
    public static let terminal = EnvironmentVariable("TERM")

    public static let all: [EnvironmentVariable] = [
        database, home, dataHome, configHome, encryptionKey, clientID, clientSecret, accountsURL, apiURL, now, timeZone,
        logFormat, noColor, terminal,
    ]
}

extension Dictionary where Key == String, Value == String {
    /// The variable's value, `nil` when it is unset or empty.
    public subscript(variable: EnvironmentVariable) -> String? {
        self[variable.name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
