/// `spotlog logs`: show the collector's log messages.
enum LogsCommand {
    static let spec = CommandTable.pending("logs", summary: "show the collector's log messages")
}
