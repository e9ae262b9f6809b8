/// `spotlog man`: print the spotlog(1) manual page in roff.
enum ManCommand {
    static let spec = CommandSpec(
        "man", summary: "print the manual page (roff)",
        examples: [.init("spotlog man | man -l -", "read it")]
    ) { context in
        try context.console.out(ManPageWriter().render())
    }
}
