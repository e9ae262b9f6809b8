import GRDB

/// Decides whose history an import belongs to, creating the user when needed.
///
/// In order: the user named by `--user` (created if new); the user whose Spotify id or name is
/// the export's `username`; the only user, if it has no other Spotify id; a new user named after
/// the export's `username`, else `default`. With several users and no way to choose, it fails
/// asking for `--user`. An export's `username` is the account's Spotify id, so it is remembered
/// on a user that has none, letting a later `spotlog auth login` attach to the same history.
enum ImportUser {
    static func resolve(handle: String?, exportUsername: String?, in db: Database) throws -> User {
        var user = try choose(handle: handle, exportUsername: exportUsername, in: db)
        if user.spotifyId == nil, let exportUsername,
           try User.filter(Column("spotify_id") == exportUsername).fetchCount(db) == 0 {
            user.spotifyId = exportUsername
            user.updatedAt = .now()
            try user.update(db)
        }
        return user
    }

    private static func choose(handle: String?, exportUsername: String?, in db: Database) throws -> User {
        if let handle {
            return try UserDirectory.find(handle, in: db) ?? UserDirectory.create(name: handle, in: db)
        }
        if let exportUsername, let owner = try UserDirectory.find(exportUsername, in: db) { return owner }
        let users = try User.order(Column("id")).fetchAll(db)
        if users.count == 1, users[0].spotifyId == nil || exportUsername == nil { return users[0] }
        if users.isEmpty || exportUsername != nil {
            let name = exportUsername ?? "default"
            return try UserDirectory.find(name, in: db) ?? UserDirectory.create(name: name, in: db)
        }
        throw SpotlogError.usage("several users exist\(try UserDirectory.listing(in: db))", hint: .chooseUser)
    }
}
