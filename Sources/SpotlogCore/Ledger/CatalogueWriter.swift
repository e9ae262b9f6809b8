import GRDB

/// Ids of catalogue rows already looked up or created during an import, kept across files.
/// Forgotten when a file's transaction rolls back, since the rows it created are gone.
final class CatalogueCache {
    /// Item ids by URI, per kind (indexed by `PlayKind.index`).
    var items = [ByteKeyTable(), ByteKeyTable(), ByteKeyTable()]
    /// `play_contexts` ids by `PlayContextKey`.
    var contexts = ByteKeyTable()
    var artists: [String: Int64] = [:]
    var albums: [String: Int64] = [:]
    var creators: [PlayKind: [String: Int64]] = [.podcast: [:], .audiobook: [:]]
    /// Item and context ids by parse thread and `Sightings` number (0: not known yet).
    private var itemsBySighting: [[Int64]] = [], contextsBySighting: [[Int64]] = []

    func forget() {
        for index in items.indices { items[index].removeAll() }
        contexts.removeAll()
        artists = [:]
        albums = [:]
        for kind in [PlayKind.podcast, .audiobook] { creators[kind] = [:] }
        itemsBySighting = []
        contextsBySighting = []
    }

    /// The item id known for number `number` of parse thread `worker`.
    @inline(__always)
    func item(worker: Int, number: Int32) -> Int64? { Self.id(in: itemsBySighting, worker, number) }

    func setItem(_ id: Int64, worker: Int, number: Int32) { Self.set(id, in: &itemsBySighting, worker, number) }

    /// The context id known for number `number` of parse thread `worker`.
    @inline(__always)
    func context(worker: Int, number: Int32) -> Int64? { Self.id(in: contextsBySighting, worker, number) }

    func setContext(_ id: Int64, worker: Int, number: Int32) { Self.set(id, in: &contextsBySighting, worker, number) }

    @inline(__always)
    private static func id(in table: [[Int64]], _ worker: Int, _ number: Int32) -> Int64? {
        guard worker < table.count, number >= 0, Int(number) < table[worker].count else { return nil }
        let id = table[worker][Int(number)]
        return id == 0 ? nil : id
    }

    private static func set(_ id: Int64, in table: inout [[Int64]], _ worker: Int, _ number: Int32) {
        guard number >= 0 else { return }
        while table.count <= worker { table.append([]) }
        if table[worker].count <= Int(number) {
            table[worker].append(contentsOf: repeatElement(0, count: Int(number) + 1 - table[worker].count))
        }
        table[worker][Int(number)] = id
    }
}

/// Finds or creates the catalogue rows (tracks with their artist and album, episodes with their
/// show, chapters with their book) and the `play_contexts` rows that a batch's plays refer to.
final class CatalogueWriter {
    private let cache: CatalogueCache
    private let selectItem: [PlayKind: RawStatement]
    private let insertTrack, insertTrackArtist, selectArtist, insertArtist, selectAlbum, selectNamedAlbum: RawStatement
    private let insertAlbum: RawStatement
    private let insertEpisode, insertChapter, upsertShow, upsertAudiobook: RawStatement
    private let insertContext, selectContext: RawStatement

    init(_ db: Database, cache: CatalogueCache) throws {
        self.cache = cache
        selectItem = [
            .music: try RawStatement(db, "SELECT id FROM tracks WHERE uri = ?1"),
            .podcast: try RawStatement(db, "SELECT id FROM episodes WHERE uri = ?1"),
            .audiobook: try RawStatement(db, "SELECT id FROM chapters WHERE uri = ?1"),
        ]
        insertTrack = try RawStatement(
            db, "INSERT INTO tracks (uri, name, album_id, match_key, search_text, song_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        insertTrackArtist = try RawStatement(
            db, "INSERT OR IGNORE INTO track_artists (track_id, artist_id, position) VALUES (?1, ?2, 0)")
        selectArtist = try RawStatement(db, "SELECT id FROM artists WHERE name_key = ?1 ORDER BY id LIMIT 1")
        insertArtist = try RawStatement(db, "INSERT INTO artists (uri, name, name_key) VALUES (?1, ?2, ?3)")
        selectAlbum = try RawStatement(db, "SELECT id FROM albums WHERE uri = ?1")
        selectNamedAlbum = try RawStatement(db, "SELECT id FROM albums WHERE name = ?1 AND artist_id IS ?2 ORDER BY id LIMIT 1")
        insertAlbum = try RawStatement(db, "INSERT INTO albums (uri, name, artist_id) VALUES (?1, ?2, ?3)")
        insertEpisode = try RawStatement(
            db, "INSERT INTO episodes (uri, name, show_id, match_key, search_text) VALUES (?1, ?2, ?3, ?4, ?5)")
        insertChapter = try RawStatement(
            db, "INSERT INTO chapters (uri, title, audiobook_id, match_key, search_text) VALUES (?1, ?2, ?3, ?4, ?5)")
        upsertShow = try RawStatement(db, """
            INSERT INTO shows (uri, name) VALUES (?1, ?2) ON CONFLICT (uri) DO UPDATE SET name = name RETURNING id
            """)
        upsertAudiobook = try RawStatement(db, """
            INSERT INTO audiobooks (uri, title, author) VALUES (?1, ?2, ?3)
            ON CONFLICT (uri) DO UPDATE SET author = coalesce(author, excluded.author) RETURNING id
            """)
        insertContext = try RawStatement(db, """
            INSERT INTO play_contexts (platform, country, reason_start, reason_end) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT DO NOTHING
            """)
        selectContext = try RawStatement(db, """
            SELECT id FROM play_contexts WHERE platform = ?1 AND country = ?2 AND reason_start = ?3 AND reason_end = ?4
            """)
    }

    /// The `play_contexts` id of `record`'s context, created when new; `nil` when it has none.
    func contextID(for record: PlayRecord, in batch: RecordBatch) throws -> Int64? {
        guard !record.context.isNull else { return nil }
        if let known = cache.context(worker: batch.worker, number: record.contextNumber) { return known }
        let id: Int64 = try batch.withBytes(record.context) { key in
            let hash = ByteKeyTable.hash(key)
            if let known = cache.contexts.value(for: key, hash: hash) { return known }
            let parts = PlayContextKey.decode(key)
            for statement in [insertContext, selectContext] {
                for (offset, part) in parts.enumerated() { statement.bind(Int32(offset + 1), utf8: part) }
            }
            try insertContext.run()
            let id = insertContext.changes > 0 ? insertContext.lastInsertedRowID : try selectContext.firstInt64()
            guard let id else { throw SpotlogError.failure("could not store a play context") }
            cache.contexts.set(id, for: key, hash: hash)
            return id
        }
        cache.setContext(id, worker: batch.worker, number: record.contextNumber)
        return id
    }

    /// The id of the track, episode or chapter `record` refers to, created when new.
    func itemID(for record: PlayRecord, in batch: RecordBatch) throws -> Int64 {
        if let known = cache.item(worker: batch.worker, number: record.itemNumber) { return known }
        let kind = record.kind.index, hash = batch.withBytes(record.itemURI, ByteKeyTable.hash)
        let id: Int64
        if let known = batch.withBytes(record.itemURI, { cache.items[kind].value(for: $0, hash: hash) }) {
            id = known
        } else {
            let statement = selectItem[record.kind]!
            let uri = batch.string(record.itemURI) ?? ""
            statement.bind(1, uri)
            id = try statement.firstInt64() ?? create(record, uri: uri, in: batch)
            batch.withBytes(record.itemURI) { cache.items[kind].set(id, for: $0, hash: hash) }
        }
        cache.setItem(id, worker: batch.worker, number: record.itemNumber)
        return id
    }

    private func create(_ record: PlayRecord, uri: String, in batch: RecordBatch) throws -> Int64 {
        let name = batch.string(record.itemName) ?? ""
        let creator = batch.string(record.creatorName)
        let matchKey = batch.string(record.matchKey) ?? IdentityKey.matchKey(creator: creator ?? "", item: name)
        let album = batch.string(record.albumName)
        let searchText = batch.string(record.searchText) ?? IdentityKey.searchText([name, creator, album])
        switch record.kind {
        case .music:
            let artistID = try creator.map(artistID(named:))
            let albumID = try album.map {
                try self.albumID(named: $0, uri: batch.string(record.albumURI) ?? IdentityKey.localURI([creator ?? "", $0]),
                                 artistID: artistID)
            }
            let trackID = try insertItem(insertTrack, uri: uri, name: name, parentID: albumID, matchKey: matchKey,
                                         searchText: searchText, songKey: SongKey.of(matchKey: matchKey))
            if let artistID {
                insertTrackArtist.bind(1, trackID)
                insertTrackArtist.bind(2, artistID)
                try insertTrackArtist.run()
            }
            return trackID
        case .podcast:
            let showID = try creator.map { show in
                try creatorID(.podcast, uri: IdentityKey.localURI([show]), statement: upsertShow, values: [show])
            }
            return try insertItem(insertEpisode, uri: uri, name: name, parentID: showID, matchKey: matchKey,
                                  searchText: searchText)
        case .audiobook:
            let bookID = try creator.map { title in
                try creatorID(.audiobook, uri: batch.string(record.creatorURI) ?? IdentityKey.localURI([title]),
                              statement: upsertAudiobook, values: [title, batch.string(record.author)])
            }
            return try insertItem(insertChapter, uri: uri, name: name, parentID: bookID, matchKey: matchKey,
                                  searchText: searchText)
        }
    }

    /// Runs one of the item inserts (`uri, name, parent, match_key, search_text`, and for tracks
    /// `song_key`); the new row's id.
    private func insertItem(_ statement: RawStatement, uri: String, name: String, parentID: Int64?, matchKey: String,
                            searchText: String, songKey: String? = nil) throws -> Int64 {
        statement.bind(1, uri)
        statement.bind(2, name)
        statement.bind(3, parentID)
        statement.bind(4, matchKey)
        statement.bind(5, searchText)
        if let songKey { statement.bind(6, songKey) }
        try statement.run()
        return statement.lastInsertedRowID
    }

    /// The artist called `name` (matched by normalised name), created when new.
    private func artistID(named name: String) throws -> Int64 {
        if let known = cache.artists[name] { return known }
        let key = IdentityKey.normalise(name)
        selectArtist.bind(1, key)
        let id: Int64
        if let existing = try selectArtist.firstInt64() {
            id = existing
        } else {
            insertArtist.bind(1, IdentityKey.localURI([name]))
            insertArtist.bind(2, name)
            insertArtist.bind(3, key)
            try insertArtist.run()
            id = insertArtist.lastInsertedRowID
        }
        cache.artists[name] = id
        return id
    }

    /// The album with URI `uri` (a local one from the export, or the Web API's), else the album
    /// of that name and artist (a placeholder that took its real URI, see `ItemDetails`),
    /// created when new.
    private func albumID(named name: String, uri: String, artistID: Int64?) throws -> Int64 {
        if let known = cache.albums[uri] { return known }
        selectAlbum.bind(1, uri)
        selectNamedAlbum.bind(1, name)
        selectNamedAlbum.bind(2, artistID)
        let id: Int64
        if let existing = try selectAlbum.firstInt64() ?? selectNamedAlbum.firstInt64() {
            id = existing
        } else {
            insertAlbum.bind(1, uri)
            insertAlbum.bind(2, name)
            insertAlbum.bind(3, artistID)
            try insertAlbum.run()
            id = insertAlbum.lastInsertedRowID
        }
        cache.albums[uri] = id
        return id
    }

    /// A show or audiobook by URI, created when new.
    private func creatorID(_ kind: PlayKind, uri: String, statement: RawStatement, values: [String?]) throws -> Int64 {
        if let known = cache.creators[kind]?[uri] { return known }
        statement.bind(1, uri)
        for (offset, value) in values.enumerated() { statement.bind(Int32(offset + 2), value) }
        guard let id = try statement.firstInt64() else { throw SpotlogError.failure("could not store \(uri)") }
        cache.creators[kind]![uri] = id
        return id
    }
}
