import Foundation
import GRDB

/// One stored rule: the artist `alias` counts as `artist` in every artist answer.
public struct ArtistAlias: Encodable, Sendable, Equatable {
    public let alias: String
    public let artist: String
    public let createdAt: String

    public static let schema = DocumentSchema.object(["alias": .string(), "artist": .string(), "created_at": .string("ISO 8601")])
}

/// Artists the listener counts as another ("Selena Gomez & The Scene" as "Selena Gomez", a side
/// project under the band): rules stored in `artist_aliases` and applied when answering
/// (`Rankings.groupSQL`, `TimeReports.activeDays(ofArtist:)`), so no play or catalogue row is
/// rewritten and `unmerge` restores the earlier answers exactly.
///
/// Rules do not chain: an artist merged into another cannot take merges itself, and one that
/// has artists merged into it cannot be merged; each case is refused with what to do instead.
/// Names match case- and accent-insensitively; artist names are never split at punctuation.
public struct ArtistAliases {
    private let database: SpotlogDatabase

    public init(database: SpotlogDatabase) { self.database = database }

    /// Counts the artist named `from` as the one named `into` from now on.
    @discardableResult
    public func merge(_ from: String, into: String, now: EpochMillis = .now()) throws -> ArtistAlias {
        try database.writer.write { db in
            let alias = try Self.artist(named: from, in: db), artist = try Self.artist(named: into, in: db)
            guard alias.key != artist.key else { throw SpotlogError.usage("'\(alias.name)' cannot be merged into itself") }
            if let target = try Self.target(of: alias.key, in: db) {
                throw SpotlogError.usage("'\(alias.name)' is already merged into '\(target)'; unmerge it first")
            }
            if let target = try Self.target(of: artist.key, in: db) {
                throw SpotlogError.usage("'\(artist.name)' is itself merged into '\(target)'; merge into '\(target)' instead")
            }
            let merged = try String.fetchAll(db, sql: "SELECT alias_name FROM artist_aliases WHERE artist_key = ? ORDER BY 1",
                                             arguments: [alias.key])
            if !merged.isEmpty {
                throw SpotlogError.usage("'\(merged.joined(separator: "', '"))' \(merged.count == 1 ? "is" : "are") merged into "
                                         + "'\(alias.name)'; unmerge \(merged.count == 1 ? "it" : "them") first")
            }
            try db.execute(sql: """
                INSERT INTO artist_aliases (alias_key, artist_key, alias_name, artist_name, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [alias.key, artist.key, alias.name, artist.name, now])
            return ArtistAlias(alias: alias.name, artist: artist.name, createdAt: now.iso8601)
        }
    }

    /// Counts the artist named `from` as itself again.
    @discardableResult
    public func unmerge(_ from: String) throws -> ArtistAlias {
        try database.writer.write { db in
            let alias = try Self.artist(named: from, in: db)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM artist_aliases WHERE alias_key = ?", arguments: [alias.key])
            else { throw SpotlogError.notFound("'\(alias.name)' is not merged into another artist") }
            try db.execute(sql: "DELETE FROM artist_aliases WHERE alias_key = ?", arguments: [alias.key])
            return try Self.alias(row)
        }
    }

    /// Every rule, by merged artist.
    public func all() throws -> [ArtistAlias] {
        try database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM artist_aliases ORDER BY alias_name").map(Self.alias)
        }
    }

    private static func alias(_ row: Row) throws -> ArtistAlias {
        ArtistAlias(alias: try row.decode(forColumn: "alias_name"), artist: try row.decode(forColumn: "artist_name"),
                    createdAt: EpochMillis(try row.decode(Int64.self, forColumn: "created_at")).iso8601)
    }

    /// The name of the artist `key` is merged into, if any.
    private static func target(of key: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT artist_name FROM artist_aliases WHERE alias_key = ?", arguments: [key])
    }

    /// The catalogue's artist called `name` (case and accents ignored): its name key and name as
    /// stored. Unknown: not found, naming the closest artist.
    static func artist(named name: String, in db: Database) throws -> (key: String, name: String) {
        let wanted = IdentityKey.fold(name)
        let artists = try Row.fetchAll(db, sql: "SELECT name_key, name FROM artists GROUP BY name_key ORDER BY min(id)")
            .map { (key: try $0.decode(String.self, atIndex: 0), name: try $0.decode(String.self, atIndex: 1)) }
        if let found = artists.first(where: { IdentityKey.fold($0.name) == wanted }) { return found }
        let hint = Suggestions.closest(to: wanted, among: artists.map { IdentityKey.fold($0.name) })
            .flatMap { closest in artists.first { IdentityKey.fold($0.name) == closest } }
            .map { "; did you mean '\($0.name)'?" } ?? ""
        throw SpotlogError.notFound("no artist named '\(name)' in your history\(hint)")
    }
}
