import SpotlogCore

/// `spotlog help [COMMAND...]`: help for any command.
enum HelpCommand {
    static let topic = ArgumentSpec("COMMAND", arity: .zeroOrMore, help: "the command to explain, e.g. 'history top-artists'")

    static let spec = CommandSpec(
        "help", summary: "show help for spotlog or one of its commands", arguments: [topic],
        examples: [.init("spotlog help history top-artists", "explain one command")]
    ) { context in
        try context.console.out(try Runner.helpText(for: context.invocation.arguments(topic)))
    }
}
