import SpotlogCore

/// Process exit codes (sysexits style), decided in this one place from the error's category.
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1

    public static func code(for category: SpotlogError.Category) -> Int32 {
        switch category {
        case .failure: return 1
        case .usage: return 64           // EX_USAGE
        case .badInput: return 65        // EX_DATAERR
        case .notFound: return 66        // EX_NOINPUT
        case .unavailable: return 69     // EX_UNAVAILABLE
        case .temporary: return 75       // EX_TEMPFAIL
        case .authRequired: return 77    // EX_NOPERM
        case .configuration: return 78   // EX_CONFIG
        }
    }

    /// The CLI's words for what to do about an error, naming its options.
    public static func hintText(_ hint: SpotlogError.Hint?) -> String {
        switch hint {
        case nil: return ""
        case .chooseUser: return "; choose one with --user"
        case .choosePort: return "; choose another --port"
        case .pasteRedirect: return " (or use --manual on a machine without a browser)"
        case .checkClientID: return "; check --client-id"
        case .giveClientID: return "; pass --client-id or set SPOTIFY_CLIENT_ID"
        }
    }
}
