extension Schema {
    /// Schema v7: Web API plays join the ledger.
    ///
    /// - `api_records` remembers each recently-played entry that was merged into a stored play
    ///   (its export twin), so a later poll that returns it again adds nothing, and no export play
    ///   takes two API plays.
    /// - `tracks.isrc`: the recording's ISRC, when the Web API gave it.
    /// - `estimated_plays`: the plays whose `ms_played` is an estimate. A Web API play does not say
    ///   how long it lasted, so it holds the track's duration until a source that knows (the
    ///   export's extended history or account data) brings the real value; `play_details` shows
    ///   it as `ms_estimated`. A table of its own, not a column of `plays`: a column cost every
    ///   imported play a value, and the import 8% of its time (measured).
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
        CREATE TABLE estimated_plays (
          user_id INTEGER NOT NULL,
          played_at INTEGER NOT NULL,
          kind TEXT NOT NULL,
          item_id INTEGER NOT NULL,
          variant INTEGER NOT NULL,
          PRIMARY KEY (user_id, played_at, kind, item_id, variant),
          FOREIGN KEY (user_id, played_at, kind, item_id, variant)
            REFERENCES plays (user_id, played_at, kind, item_id, variant) ON DELETE CASCADE
        ) WITHOUT ROWID;

        DROP VIEW play_details;
        -- Plays with every field spelled out (NULL where unknown).
        CREATE VIEW play_details AS
          SELECT p.user_id, p.kind, p.item_id, p.played_at, p.ms_played,
                 EXISTS (SELECT 1 FROM estimated_plays e WHERE e.user_id = p.user_id AND e.played_at = p.played_at
                         AND e.kind = p.kind AND e.item_id = p.item_id AND e.variant = p.variant) AS ms_estimated, p.source,
                 p.variant, nullif(c.platform, '') AS platform, nullif(c.country, '') AS country,
                 nullif(c.reason_start, '') AS reason_start, nullif(c.reason_end, '') AS reason_end,
                 nullif(p.flags & 3, 0) - 1 AS shuffle, nullif((p.flags >> 2) & 3, 0) - 1 AS skipped,
                 nullif((p.flags >> 4) & 3, 0) - 1 AS offline, p.offline_timestamp,
                 nullif((p.flags >> 6) & 3, 0) - 1 AS incognito, p.context_uri
          FROM plays p LEFT JOIN play_contexts c ON c.id = p.context_id;
        """
}
