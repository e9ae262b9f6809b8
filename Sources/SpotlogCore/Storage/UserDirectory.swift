import Foundation
import GRDB

/// Finds and creates users: the one place that decides which user a command acts on.
public struct UserDirectory: Sendable {
    let database: SpotlogDatabase

    public init(database: SpotlogDatabase) { self.database = database }

    /// Every user, oldest first.
    public func all() throws -> [User] {
        try database.reader.read { db in try User.order(Column("id")).fetchAll(db) }
    }

    /// The users who have logged in to Spotify (who have tokens), oldest first.
    public func loggedIn() throws -> [User] {
        try database.reader.read { db in
            try User.fetchAll(db, sql: "SELECT * FROM users WHERE id IN (SELECT user_id FROM tokens) ORDER BY id")
        }
    }

    /// The user whose name or Spotify id is `handle`.
    public func find(_ handle: String) throws -> User? {
        try database.reader.read { db in try Self.find(handle, in: db) }
    }

    static func find(_ handle: String, in db: Database) throws -> User? {
        try User.filter(Column("name") == handle || Column("spotify_id") == handle)
            .order(sql: "name = ? DESC", arguments: [handle]).fetchOne(db)
    }

    /// The user a read-only command should act on: the one named by `--user`, else the only user.
    /// Fails with a list of users when several exist and none was named.
    public func resolve(_ handle: String?) throws -> User? {
        try database.reader.read { db in try Self.resolve(handle, in: db) }
    }

    static func resolve(_ handle: String?, in db: Database) throws -> User? {
        if let handle {
            guard let user = try find(handle, in: db) else {
                throw SpotlogError.notFound("no user named '\(handle)'\(try Self.listing(in: db))")
            }
            return user
        }
        let users = try User.order(Column("id")).limit(2).fetchAll(db)
        if users.count > 1 {
            throw SpotlogError.usage("several users exist\(try Self.listing(in: db))", hint: .chooseUser)
        }
        return users.first
    }

    /// Creates a user named `name`.
    @discardableResult
    public func create(name: String, spotifyId: String? = nil) throws -> User {
        try database.writer.write { db in try Self.create(name: name, spotifyId: spotifyId, in: db) }
    }

    static func create(name: String, spotifyId: String? = nil, in db: Database) throws -> User {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw SpotlogError.usage("a user name cannot be empty") }
        if try find(trimmed, in: db) != nil {
            throw SpotlogError.usage("a user named '\(trimmed)' already exists")
        }
        var user = User(name: trimmed, spotifyId: spotifyId)
        try user.insert(db)
        return user
    }

    /// " (users: a, b)" for error messages, or "" when there are none.
    static func listing(in db: Database) throws -> String {
        let names = try String.fetchAll(db, sql: "SELECT name FROM users ORDER BY id")
        return names.isEmpty ? "" : " (users: \(names.joined(separator: ", ")))"
    }
}
