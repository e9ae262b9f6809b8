import SpotlogCore

/// Writes spotlog(1) in roff (man(7) macros) from the command table.
public struct ManPageWriter: Sendable {
    let root: CommandSpec
    let globals: [OptionSpec]

    public init(root: CommandSpec = CommandTable.root, globals: [OptionSpec] = GlobalOptions.all) {
        self.root = root
        self.globals = globals
    }

    public func render() -> String {
        var out = """
            .TH SPOTLOG 1 "" "spotlog \(SpotlogVersion.current)" "User Commands"
            .SH NAME
            spotlog \\- \(escape(root.summary))
            .SH SYNOPSIS
            .B spotlog
            \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]
            .SH DESCRIPTION
            \(paragraphs(root.discussion))

            """
        out += ".SH GLOBAL OPTIONS\n" + options(globals)
        out += ".SH COMMANDS\n"
        for (path, command) in CommandTable.walk() where !path.isEmpty && !command.hidden {
            out += commandSection(command, path: path)
        }
        out += exitStatus + environment + files
        out += ".SH EXAMPLES\n"
        for example in root.examples + CommandTable.walk().flatMap({ $0.command.examples }).prefix(12) {
            out += ".TP\n.B \(escape(example.command))\n\(escape(example.explanation))\n"
        }
        return out
    }

    private func commandSection(_ command: CommandSpec, path: [String]) -> String {
        let usage = HelpFormatter(globals: globals).usage(for: command, fullName: (["spotlog"] + path).joined(separator: " "))
        var out = ".SS \"\(escape(usage))\"\n\(escape(command.summary)).\n"
        if !command.discussion.isEmpty { out += ".PP\n" + paragraphs(command.discussion) + "\n" }
        if !command.arguments.isEmpty {
            for argument in command.arguments {
                out += ".TP\n.I \(escape(argument.synopsis))\n\(escape(argument.help))\n"
            }
        }
        out += options(command.options.filter { !$0.hidden })
        if let schema = command.jsonSchema {
            out += ".PP\nJSON output (\\fB\\-\\-json\\fR):\n.RS\n.nf\n\(escape(schema))\n.fi\n.RE\n"
        }
        return out
    }

    private func options(_ options: [OptionSpec]) -> String {
        options.map { option in
            var names = option.short.map { "\\fB\\-\(escape(String($0)))\\fR, " } ?? ""
            names += "\\fB\\-\\-\(escape(option.long))\\fR"
            if option.takesValue { names += " \\fI\(escape(option.placeholder))\\fR" }
            var help = escape(option.help) + "."
            if let value = option.defaultValue { help += " Default: \(escape(value))." }
            if let variable = option.environment { help += " Environment: \\fB\(variable)\\fR." }
            return ".TP\n\(names)\n\(help)\n"
        }.joined()
    }

    private var exitStatus: String {
        ".SH EXIT STATUS\n" + ReferenceTopics.exitCodes.map { ".TP\n.B \($0.code)\n\(escape($0.meaning))\n" }.joined()
    }

    private var environment: String {
        ".SH ENVIRONMENT\n" + ReferenceTopics.environment.map { ".TP\n.B \($0.variable.name)\n\(escape($0.meaning))\n" }.joined()
    }

    private var files: String {
        ".SH FILES\n" + ReferenceTopics.files.map { ".TP\n.I \(escape($0.path))\n\(escape($0.meaning))\n" }.joined()
    }

    private func paragraphs(_ text: String) -> String {
        text.split(separator: "\n").map { escape(String($0)) }.joined(separator: "\n.PP\n")
    }

    /// Escapes text for roff: backslashes, hyphens, and a leading period or apostrophe.
    private func escape(_ text: String) -> String {
        var escaped = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        if escaped.hasPrefix(".") || escaped.hasPrefix("'") { escaped = "\\&" + escaped }
        return escaped.replacingOccurrences(of: "\n.", with: "\n\\&.").replacingOccurrences(of: "\n'", with: "\n\\&'")
    }
}
