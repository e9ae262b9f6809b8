/// `spotlog sync`: page back through the Web API's recent plays (initial sync).
enum SyncCommand {
    static let spec = CommandTable.pending("sync", summary: "page back through the Web API's recent plays (initial sync)")
}
