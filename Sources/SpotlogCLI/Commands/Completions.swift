import SpotlogCore

/// `spotlog completions SHELL`: print a completion script generated from the command table.
enum CompletionsCommand {
    static let shell = ArgumentSpec(
        "SHELL", .choice(CompletionWriter.Shell.allCases.map(\.rawValue)), help: "bash, zsh or fish")

    static let spec = CommandSpec(
        "completions", summary: "print a shell completion script", arguments: [shell],
        examples: [
            .init("spotlog completions bash > ~/.local/share/bash-completion/completions/spotlog", "install for bash"),
            .init("spotlog completions fish > ~/.config/fish/completions/spotlog.fish", "install for fish"),
        ]
    ) { context in
        let name = context.invocation.argument(shell) ?? ""
        guard let chosen = CompletionWriter.Shell(rawValue: name) else {
            throw SpotlogError.usage("unknown shell '\(name)'")
        }
        try context.console.out(CompletionWriter().script(for: chosen))
    }
}
