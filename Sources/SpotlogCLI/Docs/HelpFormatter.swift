/// Renders `--help` text for any command from the command table.
public struct HelpFormatter: Sendable {
    let globals: [OptionSpec]
    let width = 80

    public init(globals: [OptionSpec]) { self.globals = globals }

    /// Help for the command at `path` (its names from the root), with `command` its spec and
    /// `inherited` the options of its enclosing groups.
    public func help(for command: CommandSpec, path: [String], inherited: [OptionSpec]) -> String {
        let fullName = (["spotlog"] + path).joined(separator: " ")
        var sections: [String] = []
        sections.append("\(fullName) - \(command.summary)")
        sections.append("Usage:\n  " + usage(for: command, fullName: fullName))
        if !command.discussion.isEmpty { sections.append(wrap(command.discussion, indent: 0)) }
        if !command.visibleSubcommands.isEmpty {
            let rows = command.visibleSubcommands.map { sub in
                (sub.name + (sub.aliases.isEmpty ? "" : " (\(sub.aliases.joined(separator: ", ")))"), sub.summary)
            }
            sections.append("Commands:\n" + twoColumns(rows))
        }
        if !command.arguments.isEmpty {
            sections.append("Arguments:\n" + twoColumns(command.arguments.map { ($0.synopsis, $0.help) }))
        }
        let own = command.options.filter { !$0.hidden }
        if !own.isEmpty { sections.append("Options:\n" + optionRows(own)) }
        let shared = inherited.filter { !$0.hidden }
        if !shared.isEmpty { sections.append("Options shared with the other '\(path.dropLast().joined(separator: " "))' commands:\n" + optionRows(shared)) }
        sections.append("Global options:\n" + optionRows(globals.filter { !$0.hidden }))
        if !command.examples.isEmpty {
            let lines = command.examples.map { "  $ \($0.command)\n" + wrap($0.explanation, indent: 4) }
            sections.append("Examples:\n" + lines.joined(separator: "\n"))
        }
        if !command.visibleSubcommands.isEmpty {
            sections.append("Run '\(fullName) <command> --help' for more about a command.")
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// `spotlog import [options] PATH...`
    public func usage(for command: CommandSpec, fullName: String) -> String {
        var parts = [fullName]
        if !command.subcommands.isEmpty { parts.append("<command>") }
        parts.append("[options]")
        parts += command.arguments.map(\.synopsis)
        return parts.joined(separator: " ")
    }

    private func optionRows(_ options: [OptionSpec]) -> String {
        twoColumns(options.map { option in
            let names = option.short == nil ? "    " + option.synopsis : option.synopsis
            var help = option.help
            if let value = option.defaultValue { help += " [default: \(value)]" }
            if let variable = option.environment { help += " [env: \(variable)]" }
            return (names, help)
        })
    }

    private func twoColumns(_ rows: [(String, String)]) -> String {
        let column = min(30, (rows.map { $0.0.count }.max() ?? 0) + 4)
        return rows.map { left, right in
            let lead = "  " + left
            let text = wrap(right, indent: column)
            if lead.count + 2 <= column {
                return lead + String(repeating: " ", count: column - lead.count) + text.dropFirst(column)
            }
            return lead + "\n" + text
        }.joined(separator: "\n")
    }

    /// Wraps `text` to the help width, indenting every line by `indent` spaces.
    func wrap(_ text: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { paragraph -> String in
            var lines: [String] = []
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty && indent + line.count + 1 + word.count > width {
                    lines.append(pad + line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            lines.append(pad + line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
