import Foundation
import GRDB

extension Schema {
    /// Schema v9: one song, one count.
    ///
    /// - `tracks.song_key`: the song a track is a version of (its match key without remaster and
    ///   release-format tags; shared by tracks of one ISRC), which rankings count by. Existing
    ///   tracks get theirs here. Frozen: `songKey` below is this migration's copy of the rule;
    ///   `SongKey` is the live one.
    /// - `artist_aliases`: artists the listener counts as another (`admin artists merge`),
    ///   applied when answering; no play or catalogue row is rewritten.
    static func songKeysAndArtistAliases(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE tracks ADD COLUMN song_key TEXT;       -- set by the ledger for every track
            CREATE TABLE artist_aliases (
              alias_key TEXT PRIMARY KEY,                -- artists.name_key of the merged artist
              artist_key TEXT NOT NULL,                  -- name_key of the artist it counts as
              alias_name TEXT NOT NULL,
              artist_name TEXT NOT NULL,                 -- how answers name the merged artists
              created_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """)
        let update = try db.makeStatement(sql: "UPDATE tracks SET song_key = ? WHERE id = ?")
        for row in try Row.fetchAll(db, sql: "SELECT id, match_key FROM tracks") {
            let id: Int64 = try row.decode(forColumn: "id"), matchKey: String = try row.decode(forColumn: "match_key")
            try update.execute(arguments: [songKey(matchKey), id])
        }
        try db.execute(sql: """
            UPDATE tracks SET song_key = (SELECT t.song_key FROM tracks t WHERE t.isrc = tracks.isrc ORDER BY t.id LIMIT 1)
            WHERE isrc IS NOT NULL;
            CREATE INDEX tracks_by_song_key ON tracks(song_key);
            CREATE INDEX tracks_by_isrc ON tracks(isrc) WHERE isrc IS NOT NULL;
            """)
    }

    /// `matchKey` without trailing version tags, as v9 defines them.
    private static func songKey(_ matchKey: String) -> String {
        let remasterWords: Set<Substring> = ["remaster", "remastered", "remastering", "re-master", "re-mastered",
                                             "digital", "digitally", "version", "edition", "/"]
        func isTag(_ tag: Substring) -> Bool {
            let words = tag.split(separator: " ")
            if ["single version", "album version"].contains(words.joined(separator: " ")) { return true }
            guard words.contains(where: { $0.hasPrefix("remaster") || $0.hasPrefix("re-master") }) else { return false }
            return words.allSatisfy { word in
                remasterWords.contains(word)
                    || (word.count == 4 && word.allSatisfy { $0.isASCII && $0.isNumber } && (word.hasPrefix("19") || word.hasPrefix("20")))
            }
        }
        var key = Substring(matchKey)
        while true {
            let head: Substring, tag: Substring
            if let close = key.last, close == ")" || close == "]" {
                guard let start = key.lastIndex(of: close == ")" ? "(" : "[") else { return String(key) }
                head = key[..<start]
                tag = key[key.index(after: start)..<key.index(before: key.endIndex)]
            } else if let dash = key.range(of: " - ", options: .backwards) {
                head = key[..<dash.lowerBound]
                tag = key[dash.upperBound...]
            } else {
                return String(key)
            }
            var title = head
            while title.last == " " { title.removeLast() }
            guard isTag(tag), let bar = title.lastIndex(of: "|"), title.index(after: bar) < title.endIndex else { return String(key) }
            key = title
        }
    }
}
