extension Schema {
    /// Schema v7: Web API plays join the ledger.
    ///
    /// - `api_records` remembers each recently-played entry that was merged into a stored play
    ///   (its export twin), so a later poll that returns it again adds nothing, and no export play
    ///   takes two API plays.
    /// - `tracks.isrc`: the recording's ISRC, when the Web API gave it.
    /// - `plays.ms_estimated`: 1 when `ms_played` is an estimate. A Web API play does not say how
    ///   long it lasted, so it holds the track's duration until a source that knows (the export's
    ///   extended history or account data) brings the real value; `play_details` shows it.
    static let v7 = """
        CREATE TABLE api_records (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          played_at INTEGER NOT NULL,                -- the API's played_at (ms)
          kind TEXT NOT NULL,
          item_id INTEGER NOT NULL,                  -- the API play's own item
          play_played_at INTEGER NOT NULL,           -- the play it was merged into, by key
          play_item_id INTEGER NOT NULL,
          play_variant INTEGER NOT NULL,
          PRIMARY KEY (user_id, played_at, kind, item_id),
          FOREIGN KEY (user_id, play_played_at, kind, play_item_id, play_variant)
            REFERENCES plays (user_id, played_at, kind, item_id, variant) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE INDEX api_records_by_play ON api_records (user_id, play_played_at, kind, play_item_id, play_variant);

        ALTER TABLE tracks ADD COLUMN isrc TEXT;
        ALTER TABLE plays ADD COLUMN ms_estimated INTEGER NOT NULL DEFAULT 0;

        DROP VIEW play_details;
        -- Plays with every field spelled out (NULL where unknown).
        CREATE VIEW play_details AS
          SELECT p.user_id, p.kind, p.item_id, p.played_at, p.ms_played, p.ms_estimated, p.source,
                 p.variant, nullif(c.platform, '') AS platform, nullif(c.country, '') AS country,
                 nullif(c.reason_start, '') AS reason_start, nullif(c.reason_end, '') AS reason_end,
                 nullif(p.flags & 3, 0) - 1 AS shuffle, nullif((p.flags >> 2) & 3, 0) - 1 AS skipped,
                 nullif((p.flags >> 4) & 3, 0) - 1 AS offline, p.offline_timestamp,
                 nullif((p.flags >> 6) & 3, 0) - 1 AS incognito, p.context_uri
          FROM plays p LEFT JOIN play_contexts c ON c.id = p.context_id;
        """
}
