/// `spotlog auth`: log in to Spotify, show token status, log out.
enum AuthCommand {
    static let spec = CommandTable.pending("auth", summary: "log in to Spotify, show token status, log out")
}
