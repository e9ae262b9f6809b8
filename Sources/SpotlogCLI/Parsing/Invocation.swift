import Foundation
import SpotlogCore

/// A parsed command line: which command runs, with which validated option and argument values.
///
/// Values were checked against their `ValueKind` while parsing, so the typed accessors only
/// convert. An option that was not given falls back to its environment variable, then its default.
public struct Invocation: Sendable {
    /// The commands from the root to the one that runs (the root itself excluded).
    public let commandPath: [String]
    public let command: CommandSpec
    public let helpRequested: Bool
    public let versionRequested: Bool
    let optionValues: [String: [String]]
    let argumentValues: [String: [String]]
    let environment: [String: String]

    /// `spotlog history top-artists`.
    public var commandLine: String { (["spotlog"] + commandPath).joined(separator: " ") }

    /// Whether the option was given on the command line (defaults and environment do not count).
    public func isGiven(_ option: OptionSpec) -> Bool { optionValues[option.long] != nil }

    public func flag(_ option: OptionSpec) -> Bool { optionValues[option.long] != nil }

    /// The option's raw value: the last one given, else its environment variable, else its default.
    public func string(_ option: OptionSpec) -> String? {
        if let given = optionValues[option.long]?.last { return given }
        if let variable = option.environment, let value = environment[variable], !value.isEmpty { return value }
        return option.defaultValue
    }

    /// The value given on the command line, else its environment variable (never the default).
    public func explicitString(_ option: OptionSpec) -> String? {
        if let given = optionValues[option.long]?.last { return given }
        if let variable = option.environment, let value = environment[variable], !value.isEmpty { return value }
        return nil
    }

    public func integer(_ option: OptionSpec) -> Int? { string(option).flatMap { Int($0) } }

    /// A duration option in milliseconds.
    public func durationMillis(_ option: OptionSpec) throws -> Int64? {
        try string(option).map { word in
            guard let millis = ValueParsing.durationMillis(word) else { throw invalid(option, word) }
            return millis
        }
    }

    public func date(_ option: OptionSpec) throws -> LocalDate? {
        try string(option).map { word in
            guard let date = ValueParsing.date(word) else { throw invalid(option, word) }
            return date
        }
    }

    public func period(_ option: OptionSpec) throws -> PeriodSpec? {
        try string(option).map { word in
            guard let period = PeriodSpec.parse(word) else { throw invalid(option, word) }
            return period
        }
    }

    public func timeZone(_ option: OptionSpec) throws -> TimeZone? {
        try string(option).map { word in
            guard let zone = ValueParsing.timeZone(word) else { throw invalid(option, word) }
            return zone
        }
    }

    /// The value of a single positional argument.
    public func argument(_ argument: ArgumentSpec) -> String? { argumentValues[argument.name]?.first }

    /// Every value of a variadic positional argument.
    public func arguments(_ argument: ArgumentSpec) -> [String] { argumentValues[argument.name] ?? [] }

    private func invalid(_ option: OptionSpec, _ word: String) -> SpotlogError {
        let problem = ValueParsing.problem(with: word, kind: option.kind) ?? "invalid value '\(word)'"
        return .usage("--\(option.long): \(problem)")
    }
}
