import Foundation
import SpotlogCore
import Testing
@testable import SpotlogCLI

/// The parser, driven by a small table that uses every value kind.
@Suite struct ParserTests {
    static let limit = OptionSpec("limit", short: "n", .integer(min: 1, max: 100), help: "how many")
    static let since = OptionSpec("since", .duration, help: "how long")
    static let day = OptionSpec("day", .date, help: "which day")
    static let by = OptionSpec("by", .choice(["plays", "time"]), default: "plays", help: "ranking")
    static let zone = OptionSpec("tz", .timeZone, help: "zone")
    static let file = OptionSpec("file", .path(.file), environment: "TEST_FILE", help: "a file")
    static let name = OptionSpec("name", .text, help: "a name")
    static let dry = OptionSpec("dry-run", short: "d", help: "a switch")
    static let paths = ArgumentSpec("PATH", .path(.any), arity: .oneOrMore, help: "paths")
    static let query = ArgumentSpec("QUERY", arity: .optional, help: "a query")

    static let leaf = CommandSpec("run", summary: "run", arguments: [paths],
                                  options: [limit, since, day, by, zone, file, name, dry]) { _ in }
    static let search = CommandSpec("search", summary: "search", arguments: [query]) { _ in }
    static let group = CommandSpec("group", summary: "group", options: [OptionSpec("shared", .text, help: "x")],
                                   subcommands: [leaf, search])
    static let root = CommandSpec("spotlog", summary: "test", subcommands: [group])

    func parse(_ words: [String], environment: [String: String] = [:]) throws -> Invocation {
        try Parser(root: Self.root, globals: GlobalOptions.all, environment: environment).parse(words)
    }

    func usageError(_ words: [String]) -> String? {
        do {
            _ = try parse(words)
            return nil
        } catch let error as SpotlogError {
            #expect(error.category == .usage)
            return error.message
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// The groups whose subcommand lists were built.
    final class BuildLog: @unchecked Sendable {
        // Unchecked: every access to `groups` holds `lock`.
        private let lock = NSLock()
        private var groups: [String] = []
        func record(_ group: String, _ subcommands: [CommandSpec]) -> [CommandSpec] {
            lock.lock(); defer { lock.unlock() }
            groups.append(group)
            return subcommands
        }
        var built: Set<String> { lock.lock(); defer { lock.unlock() }; return Set(groups) }
    }

    @Test func parsingBuildsOnlyTheGroupsOnTheCommandPath() throws {
        let log = BuildLog()
        let leaf = CommandSpec("leaf", summary: "leaf") { _ in }
        let root = CommandSpec("spotlog", summary: "test", subcommands: log.record("spotlog", [
            CommandSpec("one", summary: "one", subcommands: log.record("one", [leaf])),
            CommandSpec("two", summary: "two", subcommands: log.record("two", [leaf])),
        ]))
        let parser = Parser(root: root, globals: GlobalOptions.all, environment: [:])
        #expect(try parser.parse(["--version"]).versionRequested)
        #expect(log.built.isEmpty)
        #expect(try parser.parse(["one", "leaf"]).commandPath == ["one", "leaf"])
        #expect(log.built == ["spotlog", "one"])
        _ = CompletionWriter(root: root)
        #expect(log.built == ["spotlog", "one", "two"])
    }

    @Test func resolvesSubcommandsAndArguments() throws {
        let invocation = try parse(["group", "run", "a.zip", "b.zip"])
        #expect(invocation.commandPath == ["group", "run"])
        #expect(invocation.arguments(Self.paths) == ["a.zip", "b.zip"])
    }

    @Test func integerValues() throws {
        #expect(try parse(["group", "run", "x", "--limit", "5"]).integer(Self.limit) == 5)
        #expect(try parse(["group", "run", "x", "--limit=7"]).integer(Self.limit) == 7)
        #expect(try parse(["group", "run", "x", "-n", "9"]).integer(Self.limit) == 9)
        #expect(try parse(["group", "run", "x", "-n3"]).integer(Self.limit) == 3)
        #expect(usageError(["group", "run", "x", "--limit", "abc"]) == "--limit: expected a whole number from 1 to 100, got 'abc'")
        #expect(usageError(["group", "run", "x", "--limit", "0"])?.contains("from 1 to 100") == true)
        #expect(usageError(["group", "run", "x", "--limit", "-5"])?.contains("got '-5'") == true)
    }

    @Test func durationValues() throws {
        #expect(try parse(["group", "run", "x", "--since", "30s"]).durationMillis(Self.since) == 30_000)
        #expect(try parse(["group", "run", "x", "--since", "1h30m"]).durationMillis(Self.since) == 5_400_000)
        #expect(try parse(["group", "run", "x", "--since", "7d"]).durationMillis(Self.since) == 604_800_000)
        #expect(try parse(["group", "run", "x", "--since", "250ms"]).durationMillis(Self.since) == 250)
        #expect(try parse(["group", "run", "x", "--since", "0"]).durationMillis(Self.since) == 0)
        #expect(usageError(["group", "run", "x", "--since", "soon"])?.hasPrefix("--since: expected a duration") == true)
        #expect(usageError(["group", "run", "x", "--since", "5x"]) != nil)
    }

    @Test func dateValues() throws {
        #expect(try parse(["group", "run", "x", "--day", "2024-02-29"]).date(Self.day)
                == LocalDate(year: 2024, month: 2, day: 29))
        #expect(usageError(["group", "run", "x", "--day", "2023-02-29"]) == "--day: expected a date as YYYY-MM-DD, got '2023-02-29'")
        #expect(usageError(["group", "run", "x", "--day", "2024-1-5"]) != nil)
    }

    @Test func choiceValuesAndDefaults() throws {
        #expect(try parse(["group", "run", "x"]).string(Self.by) == "plays")
        #expect(try parse(["group", "run", "x", "--by", "time"]).string(Self.by) == "time")
        #expect(usageError(["group", "run", "x", "--by", "tme"]) == "--by: invalid value 'tme'; did you mean 'time'?")
        #expect(usageError(["group", "run", "x", "--by", "zzzzzz"]) == "--by: invalid value 'zzzzzz' (one of: plays, time)")
    }

    @Test func timeZoneValues() throws {
        #expect(try parse(["group", "run", "x", "--tz", "Asia/Kathmandu"]).timeZone(Self.zone)?.identifier == "Asia/Kathmandu")
        #expect(try parse(["group", "run", "x", "--tz", "UTC"]).timeZone(Self.zone)?.secondsFromGMT() == 0)
        #expect(usageError(["group", "run", "x", "--tz", "Mars/Olympus"])?.contains("unknown time zone") == true)
    }

    @Test func pathAndTextValuesWithEnvironmentFallback() throws {
        #expect(try parse(["group", "run", "x", "--file", "/tmp/a"]).string(Self.file) == "/tmp/a")
        #expect(try parse(["group", "run", "x"], environment: ["TEST_FILE": "/env"]).string(Self.file) == "/env")
        #expect(try parse(["group", "run", "x", "--file", "/cli"], environment: ["TEST_FILE": "/env"]).string(Self.file) == "/cli")
        #expect(try parse(["group", "run", "x", "--name", "Sigur Rós"]).string(Self.name) == "Sigur Rós")
    }

    @Test func flagsAndClusters() throws {
        let invocation = try parse(["group", "run", "-dq", "x"])
        #expect(invocation.flag(Self.dry))
        #expect(invocation.flag(GlobalOptions.quiet))
        #expect(!invocation.flag(GlobalOptions.verbose))
        #expect(usageError(["group", "run", "x", "--dry-run=yes"]) == "option --dry-run takes no value")
    }

    @Test func globalAndInheritedOptionsAnywhere() throws {
        let invocation = try parse(["--json", "group", "--shared", "s", "run", "x", "--db", "/tmp/d.db"])
        #expect(invocation.flag(GlobalOptions.json))
        #expect(invocation.string(GlobalOptions.database) == "/tmp/d.db")
        #expect(invocation.string(Self.group.options[0]) == "s")
    }

    @Test func unknownOptionSuggestsTheClosest() {
        #expect(usageError(["group", "run", "x", "--limt", "3"])
                == "unknown option '--limt' for 'spotlog group run'; did you mean '--limit'?")
        #expect(usageError(["group", "run", "x", "--zzzzzzzz"])
                == "unknown option '--zzzzzzzz' for 'spotlog group run'; see 'spotlog group run --help'")
        #expect(usageError(["group", "run", "x", "-Z"])?.hasPrefix("unknown option '-Z'") == true)
    }

    @Test func unknownCommandSuggestsTheClosest() {
        #expect(usageError(["group", "rn"]) == "unknown command 'rn' for 'spotlog group'; did you mean 'run'?")
        #expect(usageError(["grp"]) == "unknown command 'grp' for 'spotlog'; did you mean 'group'?")
    }

    @Test func missingValuesAndArguments() {
        #expect(usageError(["group", "run", "x", "--limit"]) == "option --limit needs a value (N)")
        #expect(usageError(["group", "run", "x", "--name", "--dry-run"]) == "option --name needs a value (NAME)")
        #expect(usageError(["group", "run"]) == "missing argument PATH for 'spotlog group run'")
        #expect(usageError(["group", "search", "a", "b"]) == "unexpected argument 'b' for 'spotlog group search'")
    }

    @Test func doubleDashEndsOptions() throws {
        let invocation = try parse(["group", "run", "--", "--dry-run", "-n"])
        #expect(invocation.arguments(Self.paths) == ["--dry-run", "-n"])
        #expect(!invocation.flag(Self.dry))
        let search = try parse(["group", "search", "--", "-weird query"])
        #expect(search.argument(Self.query) == "-weird query")
    }

    @Test func negativeLookingWordsAreValuesAndArguments() throws {
        #expect(try parse(["group", "search", "-42"]).argument(Self.query) == "-42")
    }

    @Test func helpWinsOverErrors() throws {
        let invocation = try parse(["group", "run", "--limit", "abc", "--help"])
        #expect(invocation.helpRequested)
        #expect(invocation.commandPath == ["group", "run"])
        #expect(try parse(["group", "-h"]).helpRequested)
    }

    @Test func helpIsGeneratedFromTheTable() throws {
        let text = HelpFormatter(globals: GlobalOptions.all).help(for: Self.leaf, path: ["group", "run"],
                                                                    inherited: Self.group.options)
        #expect(text.hasPrefix("spotlog group run - run\n\nUsage:\n  spotlog group run [options] PATH...\n"))
        #expect(text.contains("  -n, --limit N"))
        #expect(text.contains("--by BY"))
        #expect(text.contains("[default: plays]"))
        #expect(text.contains("[env: TEST_FILE]"))
        #expect(text.contains("--shared SHARED"))
        #expect(text.contains("Global options:"))
    }
}
