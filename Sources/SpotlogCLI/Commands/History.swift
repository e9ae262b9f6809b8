/// `spotlog history`: answer questions about your listening history.
enum HistoryCommand {
    static let spec = CommandTable.pending("history", summary: "answer questions about your listening history")
}
