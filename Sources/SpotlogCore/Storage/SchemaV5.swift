extension Schema {
    /// Schema v5: `plays` is keyed by a play's identity (`WITHOUT ROWID`) instead of a row id
    /// with a unique index beside it.
    ///
    /// Every play was stored twice, once in the table and once in `plays_identity`; now it is
    /// stored once, in identity order, which is also time order. An import writes a quarter less
    /// (its plays' inserts were most of its time; about 7% faster, measured), the file is a
    /// quarter smaller, and range scans read the plays themselves. `account_records` now names
    /// the play an account-data row was stored as or merged into by that play's key.
    static let v5 = """
        CREATE TABLE new_plays (
          -- The identity, first: inserting the same play twice is a no-op.
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          played_at INTEGER NOT NULL,                -- when the play ended
          kind TEXT NOT NULL CHECK (kind = 'music' OR kind = 'podcast' OR kind = 'audiobook'),
          item_id INTEGER NOT NULL,                  -- tracks, episodes or chapters id by kind
          variant INTEGER NOT NULL DEFAULT 0,        -- as in v1
          ms_played INTEGER NOT NULL CHECK (ms_played >= 0),
          source TEXT NOT NULL CHECK (source = 'api' OR source = 'extended' OR source = 'account'),
          context_id INTEGER REFERENCES play_contexts(id),  -- as in v3
          flags INTEGER NOT NULL DEFAULT 0,          -- as in v3
          offline_timestamp INTEGER,
          context_uri TEXT,
          PRIMARY KEY (user_id, played_at, kind, item_id, variant)
        ) WITHOUT ROWID;
        INSERT INTO new_plays (user_id, played_at, kind, item_id, variant, ms_played, source, context_id, flags,
                               offline_timestamp, context_uri)
          SELECT user_id, played_at, kind, item_id, variant, ms_played, source, context_id, flags, offline_timestamp,
                 context_uri
          FROM plays;

        -- The play is the one with this row's user and kind and the play_ columns' end time, item
        -- and variant.
        CREATE TABLE new_account_records (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          ended_minute INTEGER NOT NULL,
          kind TEXT NOT NULL,
          item_id INTEGER NOT NULL,
          ms_played INTEGER NOT NULL,
          play_played_at INTEGER NOT NULL,
          play_item_id INTEGER NOT NULL,
          play_variant INTEGER NOT NULL,
          PRIMARY KEY (user_id, ended_minute, kind, item_id, ms_played),
          FOREIGN KEY (user_id, play_played_at, kind, play_item_id, play_variant)
            REFERENCES plays (user_id, played_at, kind, item_id, variant) ON DELETE CASCADE
        ) WITHOUT ROWID;
        INSERT INTO new_account_records (user_id, ended_minute, kind, item_id, ms_played, play_played_at, play_item_id,
                                         play_variant)
          SELECT a.user_id, a.ended_minute, a.kind, a.item_id, a.ms_played, p.played_at, p.item_id, p.variant
          FROM account_records a JOIN plays p ON p.id = a.play_id;

        DROP VIEW play_details;
        DROP TABLE account_records;
        DROP TABLE plays;
        ALTER TABLE new_plays RENAME TO plays;
        ALTER TABLE new_account_records RENAME TO account_records;
        CREATE INDEX account_records_by_play
          ON account_records (user_id, play_played_at, kind, play_item_id, play_variant);

        -- Plays with every field spelled out (NULL where unknown).
        CREATE VIEW play_details AS
          SELECT p.user_id, p.kind, p.item_id, p.played_at, p.ms_played, p.source, p.variant,
                 nullif(c.platform, '') AS platform, nullif(c.country, '') AS country,
                 nullif(c.reason_start, '') AS reason_start, nullif(c.reason_end, '') AS reason_end,
                 nullif(p.flags & 3, 0) - 1 AS shuffle, nullif((p.flags >> 2) & 3, 0) - 1 AS skipped,
                 nullif((p.flags >> 4) & 3, 0) - 1 AS offline, p.offline_timestamp,
                 nullif((p.flags >> 6) & 3, 0) - 1 AS incognito, p.context_uri
          FROM plays p LEFT JOIN play_contexts c ON c.id = p.context_id;
        """
}
