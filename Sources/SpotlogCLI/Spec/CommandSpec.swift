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
public struct ArgumentSpec: Sendable {
    public enum Arity: Sendable, Equatable { case required, optional, oneOrMore, zeroOrMore }
    public let name: String
    public let kind: ValueKind
    public let arity: Arity
    public let help: String
    private let explicitCompletion: (@Sendable () -> CompletionKind)?

    /// `completion` is evaluated only when completions are written, so a list that is costly to
    /// build (the MCP tool names) is not built at every start.
    public init(_ name: String, _ kind: ValueKind = .text, arity: Arity = .required,
                completion: (@Sendable () -> CompletionKind)? = nil, help: String) {
        self.name = name
        self.kind = kind
        self.arity = arity
        self.help = help
        self.explicitCompletion = completion
    }

    /// How shells complete this argument.
    public var completion: CompletionKind { explicitCompletion?() ?? kind.defaultCompletion }

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
///
/// A group's subcommands, and the long texts only help and the man page read, are built when
/// first asked for, not when the table is declared: a command line walks one path through the
/// table, and building every history query's command (its options, its schema text) and the MCP
/// tool list took about a fifth of each start (`spotlog --version` 5.2 -> 4.2 ms, mean of 300
/// runs under perf stat).
public struct CommandSpec: Sendable {
    public let name: String
    public let aliases: [String]
    public let summary: String
    public let arguments: [ArgumentSpec]
    public let options: [OptionSpec]
    public let examples: [Example]
    public let hidden: Bool
    public let action: CommandAction?
    private let makeDiscussion: @Sendable () -> String
    private let makeSubcommands: @Sendable () -> [CommandSpec]
    private let makeJSONSchema: @Sendable () -> String?

    /// Paragraphs shown by help and the man page.
    public var discussion: String { makeDiscussion() }
    public var subcommands: [CommandSpec] { makeSubcommands() }
    /// The `--json` schema, documented in the man page.
    public var jsonSchema: String? { makeJSONSchema() }

    /// A usage example shown in help and the man page.
    public struct Example: Sendable {
        public let command: String
        public let explanation: String
        public init(_ command: String, _ explanation: String) {
            self.command = command
            self.explanation = explanation
        }
    }

    public init(_ name: String, aliases: [String] = [], summary: String,
                discussion: @autoclosure @escaping @Sendable () -> String = "",
                arguments: [ArgumentSpec] = [], options: [OptionSpec] = [],
                subcommands: @autoclosure @escaping @Sendable () -> [CommandSpec] = [],
                examples: [Example] = [], jsonSchema: @autoclosure @escaping @Sendable () -> String? = nil,
                hidden: Bool = false, action: CommandAction? = nil) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.makeDiscussion = discussion
        self.arguments = arguments
        self.options = options
        self.makeSubcommands = subcommands
        self.examples = examples
        self.makeJSONSchema = jsonSchema
        self.hidden = hidden
        self.action = action
    }

    /// The subcommand called `word` (by name or alias).
    public func subcommand(named word: String) -> CommandSpec? {
        subcommands.first { $0.name == word || $0.aliases.contains(word) }
    }

    public var visibleSubcommands: [CommandSpec] { subcommands.filter { !$0.hidden } }
}
