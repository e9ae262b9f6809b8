import SpotlogCore

/// Options every command accepts, declared once.
public enum GlobalOptions {
    public static let database = OptionSpec(
        "db", .path(.file), environment: EnvironmentVariable.database.name,
        help: "database file (default: $XDG_DATA_HOME/spotlog/spotlog.db, else ~/.local/share/spotlog/spotlog.db)")
    public static let json = OptionSpec("json", help: "print JSON (same as --format json)")
    public static let format = OptionSpec(
        "format", .choice(OutputFormat.allCases.map(\.rawValue)), default: "table",
        help: "output format: table, json, ndjson or csv")
    public static let quiet = OptionSpec("quiet", short: "q", help: "print only data and errors: no progress or notes")
    public static let verbose = OptionSpec("verbose", short: "v", help: "print debug messages on standard error")
    public static let noColor = OptionSpec(
        "no-color", help: "never colour output (colour is used only on a terminal; NO_COLOR is respected)")
    public static let user = OptionSpec(
        "user", .text, placeholder: "USER", completion: .users,
        help: "the user to act on, by name or Spotify id (needed when the database has several)")
    public static let help = OptionSpec("help", short: "h", help: "show help for the command")
    public static let version = OptionSpec("version", help: "print spotlog's version")

    public static let all = [database, json, format, quiet, verbose, noColor, user, help, version]
}
