import Foundation
import SpotlogCore

/// Runs one command line: parse, dispatch, print, and map any error to an exit code.
public enum Runner {
    public static func run(arguments: [String], environment: [String: String], console: Console) -> Int32 {
        let parser = Parser(root: CommandTable.root, globals: GlobalOptions.all, environment: environment)
        do {
            let invocation = try parser.parse(arguments)
            if invocation.versionRequested {
                try console.out("spotlog \(SpotlogVersion.current)\n")
                return ExitStatus.success
            }
            guard !invocation.helpRequested, let action = invocation.command.action else {
                try console.out(try helpText(for: invocation.commandPath))
                return ExitStatus.success
            }
            let context = try CommandContext(invocation: invocation, console: console, environment: environment)
            SpotlogLogging.bootstrap(level: context.verbose ? .debug : context.quiet ? .error : .warning,
                                     json: environment[EnvironmentVariable.logFormat] == "json")
            try action(context)
            return ExitStatus.success
        } catch is Console.BrokenPipe {
            return ExitStatus.success
        } catch {
            let problem = SpotlogError.from(error)
            let style = TerminalStyle(enabled: console.stderrIsTerminal && environment[EnvironmentVariable.noColor.name] == nil
                                      && environment[EnvironmentVariable.terminal] != "dumb" && !arguments.contains("--no-color"))
            console.err("spotlog: \(style.red("error")): \(problem.message)\(ExitStatus.hintText(problem.hint))\n")
            return ExitStatus.code(for: problem.category)
        }
    }

    /// Help for the command at `path`.
    static func helpText(for path: [String]) throws -> String {
        let (command, inherited) = try CommandTable.resolve(path)
        return HelpFormatter(globals: GlobalOptions.all).help(for: command, path: path, inherited: inherited)
    }
}

/// The process entry point used by the `spotlog` executable.
public func runAndExit() -> Never {
    signal(SIGPIPE, SIG_IGN)
    let status = Runner.run(arguments: Array(CommandLine.arguments.dropFirst()),
                            environment: ProcessInfo.processInfo.environment, console: Console())
    exit(status)
}
