extension Schema {
    /// Schema v3: leaner play rows, for import speed and a smaller file.
    ///
    /// A play's circumstances repeat across thousands of plays (the same device, country and
    /// reasons), so the four strings move to `play_contexts`, stored once per combination, and
    /// the four yes/no flags share one integer. `play_details` shows plays with every field, as
    /// v1 stored them.
    static let v3 = """
        CREATE TABLE play_contexts (
          id INTEGER PRIMARY KEY,
          platform TEXT NOT NULL,                    -- '' when the record did not say
          country TEXT NOT NULL,
          reason_start TEXT NOT NULL,
          reason_end TEXT NOT NULL,
          UNIQUE (platform, country, reason_start, reason_end)
        );
        INSERT INTO play_contexts (platform, country, reason_start, reason_end)
          SELECT DISTINCT coalesce(platform, ''), coalesce(country, ''), coalesce(reason_start, ''),
                          coalesce(reason_end, '')
          FROM plays
          WHERE platform IS NOT NULL OR country IS NOT NULL OR reason_start IS NOT NULL OR reason_end IS NOT NULL;

        CREATE TABLE new_plays (
          id INTEGER PRIMARY KEY,
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind = 'music' OR kind = 'podcast' OR kind = 'audiobook'),
          item_id INTEGER NOT NULL,
          played_at INTEGER NOT NULL,                -- when the play ended
          ms_played INTEGER NOT NULL CHECK (ms_played >= 0),
          source TEXT NOT NULL CHECK (source = 'api' OR source = 'extended' OR source = 'account'),
          variant INTEGER NOT NULL DEFAULT 0,        -- as in v1
          context_id INTEGER REFERENCES play_contexts(id),  -- NULL when nothing is known
          -- shuffle, skipped, offline and incognito, two bits each from bit 0 in that order:
          -- 0 unknown, 1 false, 2 true. `play_details` decodes them.
          flags INTEGER NOT NULL DEFAULT 0,
          offline_timestamp INTEGER,
          context_uri TEXT
        );
        INSERT INTO new_plays (id, user_id, kind, item_id, played_at, ms_played, source, variant, context_id, flags,
                               offline_timestamp, context_uri)
          SELECT p.id, p.user_id, p.kind, p.item_id, p.played_at, p.ms_played, p.source, p.variant, c.id,
                 -- (SQLite gives |, & and << one precedence, hence the parentheses)
                 coalesce(p.shuffle + 1, 0) | (coalesce(p.skipped + 1, 0) << 2) | (coalesce(p.offline + 1, 0) << 4)
                   | (coalesce(p.incognito + 1, 0) << 6),
                 p.offline_timestamp, p.context_uri
          FROM plays p
          LEFT JOIN play_contexts c ON c.platform = coalesce(p.platform, '') AND c.country = coalesce(p.country, '')
            AND c.reason_start = coalesce(p.reason_start, '') AND c.reason_end = coalesce(p.reason_end, '');
        DROP TABLE plays;
        ALTER TABLE new_plays RENAME TO plays;
        CREATE UNIQUE INDEX plays_identity ON plays(user_id, played_at, kind, item_id, variant);

        -- Plays with every field spelled out (NULL where unknown).
        CREATE VIEW play_details AS
          SELECT p.id, p.user_id, p.kind, p.item_id, p.played_at, p.ms_played, p.source, p.variant,
                 nullif(c.platform, '') AS platform, nullif(c.country, '') AS country,
                 nullif(c.reason_start, '') AS reason_start, nullif(c.reason_end, '') AS reason_end,
                 nullif(p.flags & 3, 0) - 1 AS shuffle, nullif((p.flags >> 2) & 3, 0) - 1 AS skipped,
                 nullif((p.flags >> 4) & 3, 0) - 1 AS offline, p.offline_timestamp,
                 nullif((p.flags >> 6) & 3, 0) - 1 AS incognito, p.context_uri
          FROM plays p LEFT JOIN play_contexts c ON c.id = p.context_id;
        """
}
