import SpotlogCore

/// How shells should complete a value, when the value kind alone does not say.
public enum CompletionKind: Sendable, Equatable {
    case none
    case files
    case directories
    case values([String])
    /// The names of the users in the database (asked of `spotlog admin users list`).
    case users
}

/// One option, declared once: the parser, `--help`, the man page and completions all read it.
public struct OptionSpec: Sendable, Equatable {
    public let long: String
    public let short: Character?
    public let kind: ValueKind
    public let placeholder: String
    public let defaultValue: String?
    public let help: String
    public let environment: String?
    public let hidden: Bool
    private let explicitCompletion: CompletionKind?

    public init(_ long: String, short: Character? = nil, _ kind: ValueKind = .flag, placeholder: String? = nil,
                default defaultValue: String? = nil, environment: String? = nil, completion: CompletionKind? = nil,
                hidden: Bool = false, help: String) {
        self.long = long
        self.short = short
        self.kind = kind
        self.placeholder = placeholder ?? Self.defaultPlaceholder(for: kind, long: long)
        self.defaultValue = defaultValue
        self.help = help
        self.environment = environment
        self.hidden = hidden
        self.explicitCompletion = completion
    }

    public var takesValue: Bool { kind != .flag }

    /// `-q, --quiet` or `--db PATH`.
    public var synopsis: String {
        let names = (short.map { "-\($0), " } ?? "") + "--\(long)"
        return takesValue ? "\(names) \(placeholder)" : names
    }

    /// How shells complete this option's value.
    public var completion: CompletionKind {
        if let explicitCompletion { return explicitCompletion }
        return kind.defaultCompletion
    }

    private static func defaultPlaceholder(for kind: ValueKind, long: String) -> String {
        switch kind {
        case .flag: return ""
        case .integer: return "N"
        case .duration: return "DURATION"
        case .date: return "DATE"
        case .path: return "PATH"
        case .timeZone: return "ZONE"
        case .period: return "PERIOD"
        case .text, .choice: return String(long.uppercased().map { $0 == "-" ? "_" : $0 })
        }
    }
}

extension ValueKind {
    var defaultCompletion: CompletionKind {
        switch self {
        case .choice(let values): return .values(values)
        case .path(.directory): return .directories
        case .path: return .files
        case .period: return .values(["7d", "4w", "6m", "1y", "all"])
        default: return .none
        }
    }
}

/// A positional argument.
public struct ArgumentSpec: Sendable, Equatable {
    public enum Arity: Sendable, Equatable { case required, optional, oneOrMore, zeroOrMore }
    public let name: String
    public let kind: ValueKind
    public let arity: Arity
    public let help: String

    public init(_ name: String, _ kind: ValueKind = .text, arity: Arity = .required, help: String) {
        self.name = name
        self.kind = kind
        self.arity = arity
        self.help = help
    }

    /// `PATH...`, `[QUERY]`.
    public var synopsis: String {
        switch arity {
        case .required: return name
        case .optional: return "[\(name)]"
        case .oneOrMore: return "\(name)..."
        case .zeroOrMore: return "[\(name)...]"
        }
    }
}

/// What running a command does, given its parsed invocation.
public typealias CommandAction = @Sendable (CommandContext) throws -> Void

/// A command or command group, declared once in the command table.
public struct CommandSpec: Sendable {
    public let name: String
    public let aliases: [String]
    public let summary: String
    public let discussion: String
    public let arguments: [ArgumentSpec]
    public let options: [OptionSpec]
    public let subcommands: [CommandSpec]
    public let examples: [Example]
    /// The `--json` schema, documented in the man page.
    public let jsonSchema: String?
    public let hidden: Bool
    public let action: CommandAction?

    /// A usage example shown in help and the man page.
    public struct Example: Sendable {
        public let command: String
        public let explanation: String
        public init(_ command: String, _ explanation: String) {
            self.command = command
            self.explanation = explanation
        }
    }

    public init(_ name: String, aliases: [String] = [], summary: String, discussion: String = "",
                arguments: [ArgumentSpec] = [], options: [OptionSpec] = [], subcommands: [CommandSpec] = [],
                examples: [Example] = [], jsonSchema: String? = nil, hidden: Bool = false,
                action: CommandAction? = nil) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.subcommands = subcommands
        self.examples = examples
        self.jsonSchema = jsonSchema
        self.hidden = hidden
        self.action = action
    }

    /// The subcommand called `word` (by name or alias).
    public func subcommand(named word: String) -> CommandSpec? {
        subcommands.first { $0.name == word || $0.aliases.contains(word) }
    }

    public var visibleSubcommands: [CommandSpec] { subcommands.filter { !$0.hidden } }
}
