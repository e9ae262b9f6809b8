import Foundation

/// One parameter of a history query or MCP tool, declared once: the CLI turns it into an option
/// (or a positional argument), the tool registry into a JSON Schema property, and both validate
/// values with `ValueParsing` against `kind`.
public struct QueryParameter: Sendable, Equatable {
    /// The command-line spelling (`min-played`); tools use `toolName` (`min_played`).
    public let name: String
    public let kind: ValueKind
    public let defaultValue: String?
    public let help: String
    /// Whether a value must be given (a positional argument on the command line).
    public let isRequired: Bool

    public init(_ name: String, _ kind: ValueKind, default defaultValue: String? = nil, required: Bool = false, help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        isRequired = required
    }

    public var toolName: String { name.replacingOccurrences(of: "-", with: "_") }
}

/// Validated values for a query's parameters, with the caller's way of naming a parameter in
/// errors (`--period` on the command line, `'period'` for a tool).
public struct QueryArguments: Sendable {
    private let values: [String: String]
    private let spelling: @Sendable (QueryParameter) -> String

    /// Values keyed by parameter name, each checked against its parameter's kind.
    public init(_ values: [String: String], parameters: [QueryParameter],
                spelling: @escaping @Sendable (QueryParameter) -> String) throws {
        for parameter in parameters {
            if let value = values[parameter.name], let problem = ValueParsing.problem(with: value, kind: parameter.kind) {
                throw SpotlogError.usage("\(spelling(parameter)): \(problem)")
            }
            if parameter.isRequired, (values[parameter.name] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw SpotlogError.usage("\(spelling(parameter)) is required and cannot be empty")
            }
        }
        self.values = values
        self.spelling = spelling
    }

    public func isGiven(_ parameter: QueryParameter) -> Bool { values[parameter.name] != nil }

    /// The value given, else the default.
    public func string(_ parameter: QueryParameter) -> String? { values[parameter.name] ?? parameter.defaultValue }

    public func integer(_ parameter: QueryParameter) -> Int? { string(parameter).flatMap { Int($0) } }

    public func durationMillis(_ parameter: QueryParameter) -> Int64? { string(parameter).flatMap(ValueParsing.durationMillis) }

    public func date(_ parameter: QueryParameter) -> LocalDate? { string(parameter).flatMap(ValueParsing.date) }

    public func period(_ parameter: QueryParameter) -> PeriodSpec? { string(parameter).flatMap(PeriodSpec.parse) }

    public func timeZone(_ parameter: QueryParameter) -> TimeZone? { string(parameter).flatMap(ValueParsing.timeZone) }

    /// How the caller names `parameter` in a message.
    public func spelled(_ parameter: QueryParameter) -> String { spelling(parameter) }
}
