import Foundation

/// Where spotlog keeps its files, resolved from the environment (XDG base directories).
///
/// Nothing here touches the file system; `SpotlogDatabase` and `KeyStore` create what they need.
public struct Locations: Sendable, Equatable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    private var home: String {
        if let home = environment[EnvironmentVariable.home] { return home }
        return NSHomeDirectory()
    }

    private func xdg(_ variable: EnvironmentVariable, fallback: String) -> String {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        return (home as NSString).appendingPathComponent(fallback)
    }

    /// `$XDG_DATA_HOME/spotlog`, falling back to `~/.local/share/spotlog`.
    public var dataDirectory: String {
        (xdg(.dataHome, fallback: ".local/share") as NSString).appendingPathComponent("spotlog")
    }

    /// `$XDG_CONFIG_HOME/spotlog`, falling back to `~/.config/spotlog`.
    public var configDirectory: String {
        (xdg(.configHome, fallback: ".config") as NSString).appendingPathComponent("spotlog")
    }

    /// Where the daemon looks for export files to import: `<data directory>/inbox`.
    public var inboxDirectory: String { (dataDirectory as NSString).appendingPathComponent("inbox") }

    /// The database path: an explicit `--db` wins, then `SPOTLOG_DB`, then the data directory.
    public func databasePath(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment[EnvironmentVariable.database] { return fromEnvironment }
        return (dataDirectory as NSString).appendingPathComponent("spotlog.db")
    }
}
