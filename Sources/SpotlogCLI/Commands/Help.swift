import SpotlogCore

/// `spotlog help [COMMAND...]`: help for any command.
enum HelpCommand {
    static let topic = ArgumentSpec(
        "COMMAND", arity: .zeroOrMore,
        help: "the command to explain, e.g. 'history top-artists', or a topic: \(ReferenceTopics.names.joined(separator: ", "))")

    static let spec = CommandSpec(
        "help", summary: "show help for spotlog or one of its commands", arguments: [topic],
        examples: [.init("spotlog help history top-artists", "explain one command"),
                   .init("spotlog help exit-codes", "what each exit status means")]
    ) { context in
        let words = context.invocation.arguments(topic)
        if words.count == 1, let text = ReferenceTopics.text(words[0]) {
            try context.console.out(text)
            return
        }
        try context.console.out(try Runner.helpText(for: words))
    }
}
