/// `spotlog import`: import Spotify's privacy export (ZIP, folder or JSON files).
enum ImportCommand {
    static let spec = CommandTable.pending("import", summary: "import Spotify's privacy export (ZIP, folder or JSON files)")
}
