import Foundation
import SpotlogCore

/// Everything a command's action needs: its parsed invocation, the output channels, the
/// environment and (opened on first use) the database.
public final class CommandContext {
    public let invocation: Invocation
    public let console: Console
    public let environment: [String: String]
    public let format: OutputFormat
    public let quiet: Bool
    public let verbose: Bool
    /// Styling for standard output (only on a colour terminal).
    public let style: TerminalStyle
    /// The databases opened so far, by how they were asked for.
    private var opened: [DatabaseAccess: SpotlogDatabase] = [:]

    init(invocation: Invocation, console: Console, environment: [String: String]) throws {
        self.invocation = invocation
        self.console = console
        self.environment = environment
        quiet = invocation.flag(GlobalOptions.quiet)
        verbose = invocation.flag(GlobalOptions.verbose)
        let chosen = invocation.string(GlobalOptions.format).flatMap(OutputFormat.init(rawValue:)) ?? .table
        if invocation.flag(GlobalOptions.json) {
            if invocation.isGiven(GlobalOptions.format) && chosen != .json {
                throw SpotlogError.usage("--json conflicts with --format \(chosen.rawValue)")
            }
            format = .json
        } else {
            format = chosen
        }
        let colourAllowed = !invocation.flag(GlobalOptions.noColor) && environment[EnvironmentVariable.noColor.name] == nil
            && environment[EnvironmentVariable.terminal] != "dumb"
        style = TerminalStyle(enabled: colourAllowed && console.stdoutIsTerminal)
    }

    public var locations: Locations { Locations(environment: environment) }

    /// The database path `--db`, `SPOTLOG_DB` or the default location names.
    public var databasePath: String { locations.databasePath(explicit: invocation.string(GlobalOptions.database)) }

    /// The `--user` handle, if given.
    public var userHandle: String? { invocation.string(GlobalOptions.user) }

    /// Whether to draw progress on standard error (a terminal, and not `--quiet`).
    public var showsProgress: Bool { console.stderrIsTerminal && !quiet }

    /// The database named by `--db`, `SPOTLOG_DB` or the default location, opened once for each
    /// access (one opened for writing serves reading too). A command that only reads passes
    /// `.readOnly`: it never creates a database, and may get a read-only connection.
    public func openDatabase(_ access: DatabaseAccess = .readWrite) throws -> SpotlogDatabase {
        if let database = opened[access] ?? opened[.readWrite] { return database }
        let path = databasePath
        do {
            let database = try SpotlogDatabase.open(path: path, access: access)
            if access == .readWrite { DatabaseLogSink.shared.attach(path: path) }
            opened[access] = database
            return database
        } catch let error as SpotlogError where error.category == .notFound {
            throw SpotlogError.notFound(error.message + "; create it with `spotlog import EXPORT` (or `spotlog auth login`)")
        }
    }

    /// Prints a command's result in the chosen format on standard output.
    public func emit(_ output: CommandOutput) throws {
        try console.out(try output.rendered(as: format, style: style))
    }
}
