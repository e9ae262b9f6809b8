extension Schema {
    /// Schema v8: what the collector needs.
    ///
    /// - `job_runs.status` may be `interrupted` (the daemon was stopped mid-run). SQLite cannot
    ///   change a CHECK, so the table is rebuilt with the same rows.
    /// - `enrichment_misses`: tracks the Web API did not know when asked, so enrichment does not
    ///   ask for them again at every run.
    /// - `logs.import_job_id`: the import job a log record is about.
    /// - `artists`: the details the Web API serves (genres as a JSON array, popularity) and when
    ///   it was asked.
    static let v8 = """
        CREATE TABLE new_job_runs (
          id INTEGER PRIMARY KEY,
          user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
          job_type TEXT NOT NULL CHECK (job_type IN ('import', 'initial_sync', 'poll', 'enrich', 'maintenance')),
          status TEXT NOT NULL
            CHECK (status IN ('running', 'success', 'error', 'rate_limited', 'skipped', 'interrupted')),
          started_at INTEGER NOT NULL,
          finished_at INTEGER,
          stats TEXT,                                -- JSON object
          error TEXT
        );
        INSERT INTO new_job_runs (id, user_id, job_type, status, started_at, finished_at, stats, error)
          SELECT id, user_id, job_type, status, started_at, finished_at, stats, error FROM job_runs;
        DROP TABLE job_runs;
        ALTER TABLE new_job_runs RENAME TO job_runs;
        CREATE INDEX job_runs_by_start ON job_runs(started_at);

        CREATE TABLE enrichment_misses (
          track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
          looked_up_at INTEGER NOT NULL
        );

        -- The importer finds an album by name and artist when its placeholder took a real URI.
        CREATE INDEX albums_by_name ON albums(name, artist_id);

        ALTER TABLE logs ADD COLUMN import_job_id INTEGER REFERENCES import_jobs(id) ON DELETE SET NULL;

        ALTER TABLE artists ADD COLUMN genres TEXT;           -- JSON array of strings
        ALTER TABLE artists ADD COLUMN popularity INTEGER;    -- 0 to 100
        ALTER TABLE artists ADD COLUMN looked_up_at INTEGER;  -- when the Web API was asked for them
        """
}
