import Foundation
import SpotlogCore

/// What `poll`, `sync`, `enrich` and `daemon` share: the collector lock, the users to work for,
/// and their Spotify clients.
struct CollectorRun {
    static let all = OptionSpec("all", help: "every active user who has logged in (paused and needs-reauth users are skipped)")

    let context: CommandContext
    let database: SpotlogDatabase
    let lock: CollectorLock
    let users: [User]

    /// Takes the collector lock and picks the users: `--all`, else `--user`, else the only user
    /// (none when `selectingUsers` is false: the daemon picks its own at each cycle).
    init(_ context: CommandContext, selectingUsers: Bool = true) throws {
        self.context = context
        database = try context.openDatabase()
        guard let path = database.path else { throw SpotlogError.failure("the collector needs a database file") }
        lock = try CollectorLock(databasePath: path)
        let directory = UserDirectory(database: database)
        if !selectingUsers {
            users = []
        } else if context.invocation.flag(Self.all) {
            if context.userHandle != nil { throw SpotlogError.usage("--all cannot be combined with --user") }
            users = try directory.loggedIn().filter { $0.status == .active }
        } else if let user = try directory.resolve(context.userHandle) {
            users = [user]
        } else {
            throw SpotlogError.notFound("no users yet; log in with 'spotlog auth login'")
        }
    }

    /// The user's Spotify client (the key and client id are read only when a client is needed:
    /// the daemon imports its inbox without any).
    func client(for user: User) throws -> SpotifyClient {
        try SpotifyAccount.client(for: user, database: database, environment: context.environment)
    }

    /// `work` for each user with their client, in order; a user whose work throws (a client
    /// that cannot be made, say) gets the report `failed` makes of the error.
    func reports<Report>(_ work: (User, SpotifyClient) throws -> Report,
                         failed: (User, SpotlogError) -> Report) -> [Report] {
        users.map { user in
            do {
                return try work(user, try client(for: user))
            } catch {
                return failed(user, SpotlogError.from(error))
            }
        }
    }

    /// Throws the first user's failure (after everything was printed), so the exit code says it.
    static func failIfAny(_ failures: [(user: String, error: SpotlogError)]) throws {
        guard let first = failures.first else { return }
        let others = failures.count > 1 ? " (and \(failures.count - 1) more users failed)" : ""
        throw SpotlogError(first.error.category, "\(first.user): \(first.error.message)\(others)", hint: first.error.hint)
    }
}
