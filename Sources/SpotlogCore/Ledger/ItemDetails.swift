import GRDB

/// Stores what a source knows of a track beyond its name: the Web API's duration, ISRC, every
/// artist in order with their Spotify URIs, and the album's URI and release date.
///
/// The export names artists and albums without URIs, so they are catalogued under `local:`
/// placeholders. When the real URI arrives, the placeholder row takes it (same row, same id):
/// nothing that refers to it changes. Later imports still find it, as the importer matches
/// artists by name and albums by their local URI or their name and artist. Tracks keep their
/// `local:` rows: stored plays and `account_records` are keyed by them, and a track's twins are
/// found by match key anyway.
struct ItemDetails {
    private let db: Database

    init(_ db: Database) throws { self.db = db }

    /// Stores `item`'s details on catalogue row `itemID` of `kind` (music only, for now: the
    /// Web API gives none for the others).
    func store(_ item: LedgerPlay.Item, of kind: PlayKind, itemID: Int64) throws {
        guard kind == .music, item.uri.map({ !$0.hasPrefix("local:") }) == true else { return }
        try db.execute(sql: "UPDATE tracks SET duration_ms = coalesce(?, duration_ms), isrc = coalesce(?, isrc) WHERE id = ?",
                       arguments: [item.durationMillis, item.isrc, itemID])
        if let isrc = item.isrc {
            // One recording (ISRC), one song: the songs of the tracks with it (and every version
            // of those songs) join the song of the first of them.
            try db.execute(sql: """
                UPDATE tracks SET song_key = (SELECT song_key FROM tracks WHERE isrc = ?1 ORDER BY id LIMIT 1)
                WHERE song_key IN (SELECT song_key FROM tracks WHERE isrc = ?1)
                """, arguments: [isrc])
        }
        guard !item.creators.isEmpty else { return }
        var artistIDs: [Int64] = []
        for artist in item.creators { artistIDs.append(try artistID(artist)) }
        try db.execute(sql: "DELETE FROM track_artists WHERE track_id = ? AND position >= ?",
                       arguments: [itemID, artistIDs.count])
        for (position, artistID) in artistIDs.enumerated() {
            try db.execute(sql: "INSERT OR REPLACE INTO track_artists (track_id, position, artist_id) VALUES (?, ?, ?)",
                           arguments: [itemID, position, artistID])
        }
        if let albumName = item.albumName, let albumURI = item.albumURI {
            let albumID = try self.albumID(name: albumName, uri: albumURI, releaseDate: item.albumReleaseDate,
                                           primaryArtist: item.creators[0], artistID: artistIDs[0])
            try db.execute(sql: "UPDATE tracks SET album_id = ? WHERE id = ?", arguments: [albumID, itemID])
        }
    }

    /// The artist row for `artist`: by URI; else the `local:` placeholder of that name, which
    /// takes the URI; else a new row.
    private func artistID(_ artist: LedgerPlay.Artist) throws -> Int64 {
        let key = IdentityKey.normalise(artist.name)
        guard let uri = artist.uri else {
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM artists WHERE name_key = ? ORDER BY id LIMIT 1",
                                                 arguments: [key]) { return existing }
            return try insertArtist(uri: IdentityKey.localURI([artist.name]), name: artist.name, key: key)
        }
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM artists WHERE uri = ?", arguments: [uri]) {
            return existing
        }
        if let placeholder = try Int64.fetchOne(db, sql: """
            SELECT id FROM artists WHERE name_key = ? AND uri LIKE 'local:%' ORDER BY id LIMIT 1
            """, arguments: [key]) {
            try db.execute(sql: "UPDATE artists SET uri = ?, name = ? WHERE id = ?", arguments: [uri, artist.name, placeholder])
            return placeholder
        }
        return try insertArtist(uri: uri, name: artist.name, key: key)
    }

    private func insertArtist(uri: String, name: String, key: String) throws -> Int64 {
        try db.execute(sql: "INSERT INTO artists (uri, name, name_key) VALUES (?, ?, ?)", arguments: [uri, name, key])
        return db.lastInsertedRowID
    }

    /// The album row: by URI; else the `local:` placeholder the export made for this album of
    /// this artist, which takes the URI; else a new row. The release date is filled in.
    private func albumID(name: String, uri: String, releaseDate: String?, primaryArtist: LedgerPlay.Artist,
                         artistID: Int64) throws -> Int64 {
        let placeholder = IdentityKey.localURI([primaryArtist.name, name])
        let id: Int64
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM albums WHERE uri = ?", arguments: [uri]) {
            id = existing
        } else if let local = try Int64.fetchOne(db, sql: "SELECT id FROM albums WHERE uri = ?", arguments: [placeholder]) {
            try db.execute(sql: "UPDATE albums SET uri = ? WHERE id = ?", arguments: [uri, local])
            id = local
        } else {
            try db.execute(sql: "INSERT INTO albums (uri, name, artist_id) VALUES (?, ?, ?)", arguments: [uri, name, artistID])
            id = db.lastInsertedRowID
        }
        try db.execute(sql: "UPDATE albums SET release_date = coalesce(?, release_date) WHERE id = ?",
                       arguments: [releaseDate, id])
        return id
    }
}
