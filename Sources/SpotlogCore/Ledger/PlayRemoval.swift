import GRDB

/// Removing plays: each removed play is taken out of the rollups in the same transaction, and
/// the records merged into it (`account_records`, `api_records`) go with it.
enum PlayRemoval {
    /// Removes user `userID`'s plays that ended in `range` (all when `nil`); how many.
    static func removePlays(userID: Int64, endedIn range: Range<EpochMillis>?, in db: Database) throws -> Int {
        var condition = "user_id = ?"
        var arguments: StatementArguments = [userID]
        if let range {
            condition += " AND played_at >= ? AND played_at < ?"
            arguments += [range.lowerBound, range.upperBound]
        }
        let rollups = RollupAccumulator(userID: userID)
        var removed = 0
        let plays = try Row.fetchCursor(db, sql: "SELECT kind, item_id, source, played_at, ms_played, flags FROM plays WHERE \(condition)",
                                        arguments: arguments)
        while let play = try plays.next() {
            guard let kind = PlayKind(rawValue: try play.decode(atIndex: 0)),
                  let source = PlaySource(rawValue: try play.decode(atIndex: 2)) else { continue }
            rollups.remove(kind: kind, item: try play.decode(atIndex: 1), source: source,
                           playedAt: try play.decode(atIndex: 3), millis: try play.decode(atIndex: 4),
                           skipped: PlayFlags(rawValue: try play.decode(atIndex: 5)).skipped)
            removed += 1
        }
        // The foreign keys' cascades remove the account and API records merged into the plays.
        try db.execute(sql: "DELETE FROM plays WHERE \(condition)", arguments: arguments)
        try rollups.flush(db)
        return removed
    }

    /// Removes user `userID` with everything that is theirs, then the catalogue rows that no
    /// play or record refers to any more.
    static func removeUser(_ userID: Int64, in db: Database) throws {
        for table in ["logs", "import_jobs", "job_runs"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE user_id = ?", arguments: [userID])
        }
        // Cascades: tokens, sync state, plays, rollups, account and API records.
        try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [userID])
        try pruneCatalogue(db)
    }

    /// Deletes tracks, episodes and chapters that no play, account row or API record names,
    /// then the artists, albums, shows and books left without any.
    static func pruneCatalogue(_ db: Database) throws {
        for kind in PlayKind.allCases {
            let table = PlayKind.itemTable(kind)
            try db.execute(sql: """
                DELETE FROM \(table) WHERE id NOT IN (
                  SELECT item_id FROM plays WHERE kind = ?1
                  UNION SELECT item_id FROM account_records WHERE kind = ?1
                  UNION SELECT item_id FROM api_records WHERE kind = ?1)
                """, arguments: [kind.rawValue])
        }
        try db.execute(sql: """
            DELETE FROM albums WHERE id NOT IN (SELECT album_id FROM tracks WHERE album_id IS NOT NULL);
            DELETE FROM artists WHERE id NOT IN (SELECT artist_id FROM track_artists)
              AND id NOT IN (SELECT artist_id FROM albums WHERE artist_id IS NOT NULL);
            DELETE FROM shows WHERE id NOT IN (SELECT show_id FROM episodes WHERE show_id IS NOT NULL);
            DELETE FROM audiobooks WHERE id NOT IN (SELECT audiobook_id FROM chapters WHERE audiobook_id IS NOT NULL);
            """)
    }
}
