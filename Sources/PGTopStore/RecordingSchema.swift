/// The tables of a recording (docs/recording.md shows them to a user with `sqlite3`), their
/// version, and the check that a file is one.
///
/// `PRAGMA application_id` is 0x70677470, the bytes `pgtp`: `file` and `sqlite3` tell a
/// recording from any other SQLite database. `PRAGMA user_version` is the schema's version;
/// a file of a newer version is refused in one line, never misread.
enum RecordingSchema {
    static let applicationID: Int32 = 0x7067_7470
    static let version = 1

    /// Times are microseconds since the Unix epoch on the server's clock; texts are as the
    /// server gave them. A span is stored compactly (`span_rows`, `SpanRow`): its end and starts
    /// as offsets, what the session was doing as an id of `activities`, its query as an id of
    /// `texts`; the view `spans` gives it back with absolute times and every field
    /// (docs/recording.md). `span_rows` is kept in order of `from_us` (its primary key, no rowid
    /// and no second index): the spans alive at a moment are one contiguous range of it.
    static let create = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE samples(
            t_us INTEGER PRIMARY KEY,
            backends INTEGER NOT NULL, clients INTEGER NOT NULL,
            slots_used INTEGER, slots_max INTEGER, superuser_reserved INTEGER, reserved INTEGER, slots_free INTEGER,
            active INTEGER NOT NULL, idle INTEGER NOT NULL, idle_in_txn INTEGER NOT NULL, waiting INTEGER NOT NULL,
            hidden INTEGER NOT NULL, stuck INTEGER NOT NULL, longest_xact_s REAL,
            stats_at REAL, commits INTEGER, rollbacks INTEGER, rows_read INTEGER, rows_inserted INTEGER,
            rows_updated INTEGER, rows_deleted INTEGER, blocks_read INTEGER, blocks_hit INTEGER,
            temp_files INTEGER, temp_bytes INTEGER, deadlocks INTEGER, checkpoints_timed INTEGER,
            checkpoints_requested INTEGER, oldest_xmin_age INTEGER, database_bytes INTEGER,
            in_recovery INTEGER, replay_lag_s REAL, replay_bytes INTEGER, standbys TEXT, replication_slots TEXT);
        CREATE TABLE sessions(
            id INTEGER PRIMARY KEY AUTOINCREMENT, server INTEGER NOT NULL DEFAULT 0, pid INTEGER NOT NULL,
            backend_start_us INTEGER NOT NULL, usename TEXT NOT NULL, datname TEXT NOT NULL,
            application TEXT NOT NULL, client TEXT NOT NULL, backend_type TEXT NOT NULL,
            first_seen_us INTEGER NOT NULL, end_us INTEGER,
            UNIQUE(server, pid, backend_start_us));
        CREATE INDEX sessions_end ON sessions(end_us) WHERE end_us IS NOT NULL;
        CREATE TABLE texts(id INTEGER PRIMARY KEY AUTOINCREMENT, hash INTEGER NOT NULL, text TEXT NOT NULL,
                           last_us INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX texts_hash ON texts(hash);
        CREATE INDEX texts_last ON texts(last_us);
        CREATE TABLE activities(
            id INTEGER PRIMARY KEY AUTOINCREMENT, hash INTEGER NOT NULL,
            state TEXT NOT NULL, wait_type TEXT, wait_event TEXT, waiting INTEGER NOT NULL, blocked_by TEXT,
            lock_mode TEXT, lock_target TEXT, xact_source TEXT, application TEXT, leader_pid INTEGER,
            superuser INTEGER NOT NULL, last_us INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX activities_hash ON activities(hash);
        CREATE INDEX activities_last ON activities(last_us);
        CREATE TABLE span_rows(
            from_us INTEGER NOT NULL, session INTEGER NOT NULL REFERENCES sessions(id),
            length_us INTEGER, activity INTEGER NOT NULL REFERENCES activities(id), query INTEGER REFERENCES texts(id),
            query_before_us INTEGER, xact_before_us INTEGER, change_after_us INTEGER,
            PRIMARY KEY (from_us, session)) WITHOUT ROWID;
        CREATE VIEW spans AS
            SELECT r.session, r.from_us, r.from_us + r.length_us AS to_us,
                   a.state, a.wait_type, a.wait_event, a.waiting, a.blocked_by, a.lock_mode, a.lock_target,
                   r.from_us - r.query_before_us AS query_start_us,
                   r.from_us - coalesce(r.query_before_us, 0) - r.xact_before_us AS xact_start_us,
                   a.xact_source,
                   r.from_us - coalesce(r.query_before_us, 0) + r.change_after_us AS state_change_us,
                   r.query, a.application, a.leader_pid, a.superuser
            FROM span_rows r JOIN activities a ON a.id = r.activity;
        CREATE TABLE actions(
            t_us INTEGER NOT NULL, server INTEGER NOT NULL DEFAULT 0, pid INTEGER NOT NULL,
            backend_start_us INTEGER NOT NULL, kind TEXT NOT NULL, outcome TEXT NOT NULL, line TEXT NOT NULL);
        CREATE INDEX actions_t ON actions(t_us);
        CREATE TABLE outages(from_us INTEGER NOT NULL, to_us INTEGER, reason TEXT NOT NULL);
        """

    /// Checks that `db` is a recording this pgtop reads: throws a one-line `StoreError`
    /// otherwise. Returns false for an empty file (no schema yet).
    static func check(_ db: Database) throws -> Bool {
        let id = try db.applicationID(), version = try db.userVersion()
        if id == 0 && version == 0 {
            let tables = try db.integer("SELECT count(*) FROM sqlite_schema") ?? 0
            if tables == 0 { return false }
        }
        guard id == applicationID else {
            throw StoreError(.notARecording, "not a pgtop recording or damaged: \(db.path): another application's SQLite database (application_id \(id))")
        }
        guard version <= Self.version else {
            throw StoreError(.newerSchema(version), "\(db.path) was written by a newer pgtop (schema \(version)); this one reads schema \(Self.version)")
        }
        guard version == Self.version else {
            throw StoreError(.notARecording, "not a pgtop recording or damaged: \(db.path): schema \(version) is unknown")
        }
        return true
    }

    /// Creates the tables and sets the pragmas, in one transaction.
    static func install(_ db: Database, meta: [String: String]) throws {
        try db.transaction {
            try db.execute(create)
            try db.setApplicationID(applicationID)
            try db.setUserVersion(version)
            let insert = try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)")
            for (key, value) in meta.sorted(by: { $0.key < $1.key }) {
                insert.bind(1, key)
                insert.bind(2, value)
                try insert.run()
            }
        }
    }
}
