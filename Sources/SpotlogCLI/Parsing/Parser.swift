import SpotlogCore

/// Turns `argv` into an `Invocation`, driven entirely by the command table.
///
/// Options may appear anywhere after the command that declares them; global options and options
/// of enclosing command groups apply to every subcommand. `--` ends option parsing. Errors are
/// one-line `SpotlogError.usage` values with a "did you mean" hint where one is close.
public struct Parser: Sendable {
    let root: CommandSpec
    let globals: [OptionSpec]
    let environment: [String: String]

    public init(root: CommandSpec, globals: [OptionSpec], environment: [String: String] = [:]) {
        self.root = root
        self.globals = globals
        self.environment = environment
    }

    public func parse(_ argv: [String]) throws -> Invocation {
        var state = State(command: root)
        let wantsHelp = argv.prefix { $0 != "--" }.contains { $0 == "--help" || $0 == "-h" }
        do {
            try walk(argv, into: &state)
            if !wantsHelp && !state.versionRequested {
                try assignArguments(&state)
                try validateValues(state)
            }
        } catch let error as SpotlogError where wantsHelp {
            _ = error  // help was asked for: show it for the command reached so far
        }
        return Invocation(
            commandPath: state.path, command: state.command, helpRequested: wantsHelp,
            versionRequested: state.versionRequested, optionValues: state.options,
            argumentValues: state.arguments, environment: environment)
    }

    /// Parsing progress: the command reached so far and what was collected.
    private struct State {
        var command: CommandSpec
        var path: [String] = []
        var scope: [CommandSpec] = []
        var options: [String: [String]] = [:]
        var positionals: [String] = []
        var arguments: [String: [String]] = [:]
        var versionRequested = false

        init(command: CommandSpec) { self.command = command; self.scope = [command] }
    }

    private func optionsInScope(_ state: State) -> [OptionSpec] {
        globals + state.scope.flatMap(\.options)
    }

    private func walk(_ argv: [String], into state: inout State) throws {
        var index = 0
        var onlyPositionals = false
        func nextValue(for option: OptionSpec, named name: String) throws -> String {
            guard index < argv.count, !looksLikeOption(argv[index], state) else {
                throw SpotlogError.usage("option \(name) needs a value (\(option.placeholder))")
            }
            defer { index += 1 }
            return argv[index]
        }
        while index < argv.count {
            let token = argv[index]
            index += 1
            if onlyPositionals {
                state.positionals.append(token)
            } else if token == "--" {
                onlyPositionals = true
            } else if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                guard let option = optionsInScope(state).first(where: { $0.long == name }) else {
                    throw unknownOption("--\(name)", state)
                }
                if option.takesValue {
                    let value = try inline ?? nextValue(for: option, named: "--\(name)")
                    state.options[option.long, default: []].append(value)
                } else {
                    if inline != nil { throw SpotlogError.usage("option --\(name) takes no value") }
                    record(flag: option, in: &state)
                }
            } else if token.hasPrefix("-"), token.count > 1, Int(token) == nil {
                var letters = Substring(token.dropFirst())
                while let letter = letters.first {
                    letters = letters.dropFirst()
                    guard let option = optionsInScope(state).first(where: { $0.short == letter }) else {
                        throw unknownOption("-\(letter)", state)
                    }
                    if option.takesValue {
                        let value = letters.isEmpty ? try nextValue(for: option, named: "-\(letter)") : String(letters)
                        state.options[option.long, default: []].append(value)
                        break
                    }
                    record(flag: option, in: &state)
                }
            } else if state.positionals.isEmpty, !state.command.subcommands.isEmpty {
                guard let subcommand = state.command.subcommand(named: token) else {
                    throw unknownCommand(token, state)
                }
                state.command = subcommand
                state.path.append(subcommand.name)
                state.scope.append(subcommand)
            } else {
                state.positionals.append(token)
            }
        }
    }

    private func record(flag option: OptionSpec, in state: inout State) {
        if option.long == "version" { state.versionRequested = true }
        state.options[option.long, default: []].append("")
    }

    private func looksLikeOption(_ word: String, _ state: State) -> Bool {
        guard word.hasPrefix("-"), word.count > 1, Int(word) == nil else { return false }
        if word == "--" { return true }
        let name = word.hasPrefix("--") ? String(word.dropFirst(2).prefix { $0 != "=" }) : nil
        return optionsInScope(state).contains { option in
            name.map { option.long == $0 } ?? (option.short == word.dropFirst().first)
        }
    }

    private func assignArguments(_ state: inout State) throws {
        var remaining = state.positionals[...]
        for argument in state.command.arguments {
            switch argument.arity {
            case .required:
                guard let value = remaining.popFirst() else {
                    throw SpotlogError.usage("missing argument \(argument.name) for '\(commandName(state))'")
                }
                state.arguments[argument.name] = [value]
            case .optional:
                if let value = remaining.popFirst() { state.arguments[argument.name] = [value] }
            case .oneOrMore, .zeroOrMore:
                if argument.arity == .oneOrMore && remaining.isEmpty {
                    throw SpotlogError.usage("missing argument \(argument.name) for '\(commandName(state))'")
                }
                state.arguments[argument.name] = Array(remaining)
                remaining = []
            }
        }
        if let extra = remaining.first {
            throw SpotlogError.usage("unexpected argument '\(extra)' for '\(commandName(state))'")
        }
    }

    private func validateValues(_ state: State) throws {
        for option in optionsInScope(state) {
            for value in state.options[option.long] ?? [] {
                if let problem = ValueParsing.problem(with: value, kind: option.kind) {
                    throw SpotlogError.usage("--\(option.long): \(problem)")
                }
            }
        }
        for argument in state.command.arguments {
            for value in state.arguments[argument.name] ?? [] {
                if let problem = ValueParsing.problem(with: value, kind: argument.kind) {
                    throw SpotlogError.usage("\(argument.name): \(problem)")
                }
            }
        }
    }

    private func commandName(_ state: State) -> String {
        (["spotlog"] + state.path).joined(separator: " ")
    }

    private func unknownOption(_ name: String, _ state: State) -> SpotlogError {
        let candidates = optionsInScope(state).filter { !$0.hidden }.map { "--\($0.long)" }
        let hint = name.hasPrefix("--") ? Suggestions.closest(to: name, among: candidates) : nil
        return .usage("unknown option '\(name)' for '\(commandName(state))'"
                      + (hint.map { "; did you mean '\($0)'?" } ?? "; see '\(commandName(state)) --help'"))
    }

    private func unknownCommand(_ word: String, _ state: State) -> SpotlogError {
        let names = state.command.visibleSubcommands.flatMap { [$0.name] + $0.aliases }
        let hint = Suggestions.closest(to: word, among: names)
        return .usage("unknown command '\(word)' for '\(commandName(state))'"
                      + (hint.map { "; did you mean '\($0)'?" } ?? "; see '\(commandName(state)) --help'"))
    }
}
