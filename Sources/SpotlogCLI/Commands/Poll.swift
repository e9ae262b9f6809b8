/// `spotlog poll`: fetch new plays from the Web API once.
enum PollCommand {
    static let spec = CommandTable.pending("poll", summary: "fetch new plays from the Web API once")
}
