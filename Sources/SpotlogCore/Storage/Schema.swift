import GRDB

/// The database schema as an append-only list of named migrations.
///
/// Never edit a migration that has shipped: add a new one. Migrations are frozen: each spells
/// out its SQL and code and calls nothing that later work may change. Every timestamp column
/// holds UTC epoch milliseconds (`INTEGER`).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_domain") { db in try db.execute(sql: v1) }
        migrator.registerMigration("v2_history_rollups") { db in try historyRollups(db) }
        migrator.registerMigration("v3_compact_plays") { db in try db.execute(sql: v3) }
        migrator.registerMigration("v4_sparse_quarters") { db in try sparseQuarters(db) }
        migrator.registerMigration("v5_plays_by_identity") { db in try db.execute(sql: v5) }
        // Changes no table: from here on `play_days.quarters` may hold wide entries (see
        // `QuarterBlob`), which builds before it would misread; being recorded, this migration
        // makes those builds refuse the file ("written by a newer spotlog") instead.
        migrator.registerMigration("v6_wide_quarter_entries") { _ in }
        migrator.registerMigration("v7_api_plays") { db in try db.execute(sql: v7) }
        migrator.registerMigration("v8_collector") { db in try db.execute(sql: v8) }
        migrator.registerMigration("v9_songs_and_artist_aliases") { db in try songKeysAndArtistAliases(db) }
        migrator.registerMigration("v10_deeper_rollups") { db in try deeperRollups(db) }
        return migrator
    }

    /// Names of every migration this build knows, in order.
    static var migrationNames: [String] { migrator.migrations }

    /// Creates, in an empty database, the schema that `snapshotMigrations` make, and records
    /// them as applied (see `SchemaSnapshot.swift`).
    static func createFromSnapshot(_ db: Database) throws {
        for statement in snapshot { try db.execute(sql: statement) }
        for identifier in snapshotMigrations {
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
        }
    }

    /// Schema v1: the whole domain, so later features only add to it.
    static let v1 = """
        CREATE TABLE users (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,                 -- local handle, used by --user
          spotify_id TEXT UNIQUE,                    -- Spotify user id (an export's "username")
          display_name TEXT,
          status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'needs_reauth')),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );

        -- OAuth tokens, each encrypted at rest as a Fernet token.
        CREATE TABLE tokens (
          user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
          access_token TEXT NOT NULL,
          refresh_token TEXT NOT NULL,
          access_expires_at INTEGER NOT NULL,
          scope TEXT NOT NULL DEFAULT '',
          authorized_at INTEGER NOT NULL,            -- when the refresh token was granted
          refreshed_at INTEGER,
          updated_at INTEGER NOT NULL
        );

        -- Catalogue. `uri` is a Spotify URI (spotify:track:...) or a deterministic local id
        -- (local:<sha1>) for items the data names but does not identify.
        CREATE TABLE artists (
          id INTEGER PRIMARY KEY,
          uri TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          name_key TEXT NOT NULL                     -- normalised name, for matching sources
        );
        CREATE INDEX artists_by_name_key ON artists(name_key);

        CREATE TABLE albums (
          id INTEGER PRIMARY KEY,
          uri TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          artist_id INTEGER REFERENCES artists(id),
          release_date TEXT
        );

        CREATE TABLE tracks (
          id INTEGER PRIMARY KEY,
          uri TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          album_id INTEGER REFERENCES albums(id),
          duration_ms INTEGER,
          match_key TEXT NOT NULL,                   -- normalised "artist|track": joins sources
          search_text TEXT NOT NULL DEFAULT ''       -- case- and accent-folded "track artist album"
        );
        CREATE INDEX tracks_by_match_key ON tracks(match_key);

        -- (Key columns first: SQLite 3.40's integrity_check misreports NOT NULL columns placed
        -- between the key columns of a WITHOUT ROWID table.)
        CREATE TABLE track_artists (
          track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,                 -- 0 is the primary artist
          artist_id INTEGER NOT NULL REFERENCES artists(id),
          PRIMARY KEY (track_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX track_artists_by_artist ON track_artists(artist_id);

        CREATE TABLE shows (
          id INTEGER PRIMARY KEY,
          uri TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          publisher TEXT
        );

        CREATE TABLE episodes (
          id INTEGER PRIMARY KEY,
          uri TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          show_id INTEGER REFERENCES shows(id),
          duration_ms INTEGER,
          match_key TEXT NOT NULL,                   -- normalised "show|episode"
          search_text TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX episodes_by_match_key ON episodes(match_key);

        CREATE TABLE audiobooks (
          id INTEGER PRIMARY KEY,
          uri TEXT NOT NULL UNIQUE,
          title TEXT NOT NULL,
          author TEXT
        );

        CREATE TABLE chapters (
          id INTEGER PRIMARY KEY,
          uri TEXT NOT NULL UNIQUE,
          title TEXT NOT NULL,
          audiobook_id INTEGER REFERENCES audiobooks(id),
          duration_ms INTEGER,
          match_key TEXT NOT NULL,                   -- normalised "audiobook|chapter"
          search_text TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX chapters_by_match_key ON chapters(match_key);

        -- One row per play of a track, podcast episode or audiobook chapter. This is the largest
        -- table by far, so it is kept lean for insert speed: `item_id` is a tracks, episodes or
        -- chapters id according to `kind` (one column, no per-kind foreign keys), and CHECKs use OR,
        -- not IN (SQLite builds a temporary table for every IN-list check).
        CREATE TABLE plays (
          id INTEGER PRIMARY KEY,
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind = 'music' OR kind = 'podcast' OR kind = 'audiobook'),
          item_id INTEGER NOT NULL,
          played_at INTEGER NOT NULL,                -- when the play ended
          ms_played INTEGER NOT NULL CHECK (ms_played >= 0),
          source TEXT NOT NULL CHECK (source = 'api' OR source = 'extended' OR source = 'account'),
          -- 0 for second-precision records (extended, API). Account-data records only know the
          -- minute, so two plays of one item ending in the same minute are told apart by their
          -- ms_played, kept here.
          variant INTEGER NOT NULL DEFAULT 0,
          platform TEXT,
          country TEXT,
          reason_start TEXT,
          reason_end TEXT,
          shuffle INTEGER,
          skipped INTEGER,
          offline INTEGER,
          offline_timestamp INTEGER,
          incognito INTEGER,
          context_uri TEXT
        );
        -- Identity of a play: inserting the same play twice is a no-op. Also serves time ranges.
        CREATE UNIQUE INDEX plays_identity ON plays(user_id, played_at, kind, item_id, variant);

        -- Every account-data row ever imported, and the play it was stored as or merged into, so
        -- a re-import recognises rows even after they were merged with a richer record.
        CREATE TABLE account_records (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          ended_minute INTEGER NOT NULL,             -- epoch ms of the minute the play ended in
          kind TEXT NOT NULL,
          item_id INTEGER NOT NULL,                  -- the account row's own (name-derived) item
          ms_played INTEGER NOT NULL,
          play_id INTEGER NOT NULL REFERENCES plays(id) ON DELETE CASCADE,
          PRIMARY KEY (user_id, ended_minute, kind, item_id, ms_played)
        ) WITHOUT ROWID;
        CREATE INDEX account_records_by_play ON account_records(play_id);

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
        );

        CREATE TABLE job_runs (
          id INTEGER PRIMARY KEY,
          user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
          job_type TEXT NOT NULL CHECK (job_type IN ('import', 'initial_sync', 'poll', 'enrich', 'maintenance')),
          status TEXT NOT NULL CHECK (status IN ('running', 'success', 'error', 'rate_limited', 'skipped')),
          started_at INTEGER NOT NULL,
          finished_at INTEGER,
          stats TEXT,                                -- JSON object
          error TEXT
        );
        CREATE INDEX job_runs_by_start ON job_runs(started_at);

        -- One row per history file of an import.
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
        );
        CREATE INDEX import_jobs_by_status ON import_jobs(status);

        CREATE TABLE logs (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          level TEXT NOT NULL,
          label TEXT NOT NULL,
          message TEXT NOT NULL,
          user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
          job_run_id INTEGER REFERENCES job_runs(id) ON DELETE SET NULL,
          metadata TEXT                              -- JSON object
        );
        CREATE INDEX logs_by_time ON logs(at);

        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}
