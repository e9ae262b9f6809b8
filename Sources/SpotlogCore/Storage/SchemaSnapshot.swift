// Generated from the migrations by SchemaSnapshotTests (`Scripts/update-docs.sh`); do not edit.

extension Schema {
    /// The migrations whose result `snapshot` is.
    static let snapshotMigrations: [String] = [
        "v1_domain",
        "v2_history_rollups",
        "v3_compact_plays",
        "v4_sparse_quarters",
        "v5_plays_by_identity",
        "v6_wide_quarter_entries",
        "v7_api_plays",
        "v8_collector",
        "v9_songs_and_artist_aliases",
        "v10_deeper_rollups",
    ]

    /// The statements that create the schema of a database migrated through
    /// `snapshotMigrations`, in the order its objects were created.
    static let snapshot: [String] = [
        #"""
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)
"""#,
        #"""
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,                 -- local handle, used by --user
  spotify_id TEXT UNIQUE,                    -- Spotify user id (an export's "username")
  display_name TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'needs_reauth')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
)
"""#,
        #"""
CREATE TABLE tokens (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  access_token TEXT NOT NULL,
  refresh_token TEXT NOT NULL,
  access_expires_at INTEGER NOT NULL,
  scope TEXT NOT NULL DEFAULT '',
  authorized_at INTEGER NOT NULL,            -- when the refresh token was granted
  refreshed_at INTEGER,
  updated_at INTEGER NOT NULL
)
"""#,
        #"""
CREATE TABLE artists (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL                     -- normalised name, for matching sources
, genres TEXT, popularity INTEGER, looked_up_at INTEGER)
"""#,
        #"""
CREATE INDEX artists_by_name_key ON artists(name_key)
"""#,
        #"""
CREATE TABLE albums (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  artist_id INTEGER REFERENCES artists(id),
  release_date TEXT
)
"""#,
        #"""
CREATE TABLE tracks (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  album_id INTEGER REFERENCES albums(id),
  duration_ms INTEGER,
  match_key TEXT NOT NULL,                   -- normalised "artist|track": joins sources
  search_text TEXT NOT NULL DEFAULT ''       -- case- and accent-folded "track artist album"
, isrc TEXT, song_key TEXT)
"""#,
        #"""
CREATE INDEX tracks_by_match_key ON tracks(match_key)
"""#,
        #"""
CREATE TABLE track_artists (
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,                 -- 0 is the primary artist
  artist_id INTEGER NOT NULL REFERENCES artists(id),
  PRIMARY KEY (track_id, position)
) WITHOUT ROWID
"""#,
        #"""
CREATE INDEX track_artists_by_artist ON track_artists(artist_id)
"""#,
        #"""
CREATE TABLE shows (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  publisher TEXT
)
"""#,
        #"""
CREATE TABLE episodes (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  show_id INTEGER REFERENCES shows(id),
  duration_ms INTEGER,
  match_key TEXT NOT NULL,                   -- normalised "show|episode"
  search_text TEXT NOT NULL DEFAULT ''
)
"""#,
        #"""
CREATE INDEX episodes_by_match_key ON episodes(match_key)
"""#,
        #"""
CREATE TABLE audiobooks (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  author TEXT
)
"""#,
        #"""
CREATE TABLE chapters (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  audiobook_id INTEGER REFERENCES audiobooks(id),
  duration_ms INTEGER,
  match_key TEXT NOT NULL,                   -- normalised "audiobook|chapter"
  search_text TEXT NOT NULL DEFAULT ''
)
"""#,
        #"""
CREATE INDEX chapters_by_match_key ON chapters(match_key)
"""#,
        #"""
CREATE TABLE sync_state (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  last_played_at INTEGER,                    -- newest play seen from the API
  last_poll_at INTEGER,
  last_success_at INTEGER,
  initial_sync_status TEXT NOT NULL DEFAULT 'pending'
    CHECK (initial_sync_status IN ('pending', 'running', 'done', 'stopped')),
  initial_sync_stop_reason TEXT,
  initial_sync_oldest INTEGER,
  rate_limited_until INTEGER,
  consecutive_errors INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  updated_at INTEGER NOT NULL
)
"""#,
        #"""
CREATE TABLE import_jobs (
  id INTEGER PRIMARY KEY,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  job_run_id INTEGER REFERENCES job_runs(id) ON DELETE SET NULL,
  path TEXT NOT NULL,                        -- the ZIP, directory or file given
  file TEXT NOT NULL,                        -- the history file inside it
  size INTEGER NOT NULL,                     -- uncompressed bytes
  format TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'success', 'error')),
  records_read INTEGER NOT NULL DEFAULT 0,
  inserted INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  merged INTEGER NOT NULL DEFAULT 0,
  skipped TEXT NOT NULL DEFAULT '{}',        -- JSON object: reason -> count
  earliest INTEGER,
  latest INTEGER,
  error TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
)
"""#,
        #"""
CREATE INDEX import_jobs_by_status ON import_jobs(status)
"""#,
        #"""
CREATE TABLE logs (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  level TEXT NOT NULL,
  label TEXT NOT NULL,
  message TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  job_run_id INTEGER REFERENCES job_runs(id) ON DELETE SET NULL,
  metadata TEXT                              -- JSON object
, import_job_id INTEGER REFERENCES import_jobs(id) ON DELETE SET NULL)
"""#,
        #"""
CREATE INDEX logs_by_time ON logs(at)
"""#,
        #"""
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID
"""#,
        #"""
CREATE TABLE play_totals (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  plays INTEGER NOT NULL,
  ms_played INTEGER NOT NULL,
  first_played_at INTEGER NOT NULL,
  last_played_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, kind, item_id)
) WITHOUT ROWID
"""#,
        #"""
CREATE TABLE play_months (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  month INTEGER NOT NULL,                    -- UTC calendar month: year * 12 + month - 1
  kind TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  plays INTEGER NOT NULL,
  ms_played INTEGER NOT NULL, judged INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, days BLOB NOT NULL DEFAULT x'',
  PRIMARY KEY (user_id, month, kind, item_id)
) WITHOUT ROWID
"""#,
        #"""
CREATE TABLE play_days (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  day INTEGER NOT NULL,                      -- UTC day: days since 1970-01-01
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  plays INTEGER NOT NULL,                    -- every play, however short
  ms_played INTEGER NOT NULL,
  counted_plays INTEGER NOT NULL,            -- plays of at least 30 s
  counted_ms INTEGER NOT NULL,
  quarters BLOB NOT NULL,                    -- counted plays and ms per UTC quarter-hour:
                                             -- 96 x (u32 plays, u32 ms), little-endian
  PRIMARY KEY (user_id, day, kind, source)
) WITHOUT ROWID
"""#,
        #"""
CREATE TABLE play_contexts (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,                    -- '' when the record did not say
  country TEXT NOT NULL,
  reason_start TEXT NOT NULL,
  reason_end TEXT NOT NULL,
  UNIQUE (platform, country, reason_start, reason_end)
)
"""#,
        #"""
CREATE TABLE "plays" (
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
) WITHOUT ROWID
"""#,
        #"""
CREATE TABLE "account_records" (
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
) WITHOUT ROWID
"""#,
        #"""
CREATE INDEX account_records_by_play
  ON account_records (user_id, play_played_at, kind, play_item_id, play_variant)
"""#,
        #"""
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
) WITHOUT ROWID
"""#,
        #"""
CREATE INDEX api_records_by_play ON api_records (user_id, play_played_at, kind, play_item_id, play_variant)
"""#,
        #"""
CREATE TABLE estimated_plays (
  user_id INTEGER NOT NULL,
  played_at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  variant INTEGER NOT NULL,
  PRIMARY KEY (user_id, played_at, kind, item_id, variant),
  FOREIGN KEY (user_id, played_at, kind, item_id, variant)
    REFERENCES plays (user_id, played_at, kind, item_id, variant) ON DELETE CASCADE
) WITHOUT ROWID
"""#,
        #"""
CREATE VIEW play_details AS
  SELECT p.user_id, p.kind, p.item_id, p.played_at, p.ms_played,
         EXISTS (SELECT 1 FROM estimated_plays e WHERE e.user_id = p.user_id AND e.played_at = p.played_at
                 AND e.kind = p.kind AND e.item_id = p.item_id AND e.variant = p.variant) AS ms_estimated, p.source,
         p.variant, nullif(c.platform, '') AS platform, nullif(c.country, '') AS country,
         nullif(c.reason_start, '') AS reason_start, nullif(c.reason_end, '') AS reason_end,
         nullif(p.flags & 3, 0) - 1 AS shuffle, nullif((p.flags >> 2) & 3, 0) - 1 AS skipped,
         nullif((p.flags >> 4) & 3, 0) - 1 AS offline, p.offline_timestamp,
         nullif((p.flags >> 6) & 3, 0) - 1 AS incognito, p.context_uri
  FROM plays p LEFT JOIN play_contexts c ON c.id = p.context_id
"""#,
        #"""
CREATE TABLE "job_runs" (
  id INTEGER PRIMARY KEY,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  job_type TEXT NOT NULL CHECK (job_type IN ('import', 'initial_sync', 'poll', 'enrich', 'maintenance')),
  status TEXT NOT NULL
    CHECK (status IN ('running', 'success', 'error', 'rate_limited', 'skipped', 'interrupted')),
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  stats TEXT,                                -- JSON object
  error TEXT
)
"""#,
        #"""
CREATE INDEX job_runs_by_start ON job_runs(started_at)
"""#,
        #"""
CREATE TABLE enrichment_misses (
  track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
  looked_up_at INTEGER NOT NULL
)
"""#,
        #"""
CREATE INDEX albums_by_name ON albums(name, artist_id)
"""#,
        #"""
CREATE TABLE artist_aliases (
  alias_key TEXT PRIMARY KEY,                -- artists.name_key of the merged artist
  artist_key TEXT NOT NULL,                  -- name_key of the artist it counts as
  alias_name TEXT NOT NULL,
  artist_name TEXT NOT NULL,                 -- how answers name the merged artists
  created_at INTEGER NOT NULL
) WITHOUT ROWID
"""#,
        #"""
CREATE INDEX tracks_by_song_key ON tracks(song_key)
"""#,
        #"""
CREATE INDEX tracks_by_isrc ON tracks(isrc) WHERE isrc IS NOT NULL
"""#,
        #"""
CREATE TABLE play_spans (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  day INTEGER NOT NULL,                      -- as in play_days
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  spans BLOB NOT NULL,                       -- sessions of counted plays, 30-minute gap
  PRIMARY KEY (user_id, day, kind, source)
) WITHOUT ROWID
"""#,
    ]
}
