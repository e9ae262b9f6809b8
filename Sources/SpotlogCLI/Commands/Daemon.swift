/// `spotlog daemon`: run the collector: poll every user's recent plays on a schedule.
enum DaemonCommand {
    static let spec = CommandTable.pending("daemon", summary: "run the collector: poll every user's recent plays on a schedule")
}
