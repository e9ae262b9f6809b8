import Foundation
import GRDB
import Logging

/// The long-running collector behind `spotlog daemon`.
///
/// Overview of `Collector/`: `Poller` (incremental polls), `InitialSync` (the backward sync),
/// `Enricher` (catalogue details within a request budget), `Inbox` (export files dropped into
/// a folder), all recorded in `job_runs` by `CollectorJob`; `CollectorLock` keeps collectors
/// one per database. Each cycle of the daemon, in priority order: the inbox, initial syncs not
/// done yet, a poll for every active user, then enrichment with the requests left. Paused and
/// needs-reauth users are skipped, and so is a rate-limited user until its retry time, while
/// the others go on. A stop request is honoured between steps: a run it cuts short (a sync
/// between pages, a poll whose answer arrives after it) is recorded as `interrupted`, and what
/// was committed stays.
public final class CollectorDaemon {
    public struct Options: Sendable {
        public var interval: TimeInterval = 600
        public var once = false
        public var inbox: String
        /// Requests per cycle for enrichment, less what syncs and polls used.
        public var requestBudget = 200

        public init(inbox: String) { self.inbox = inbox }
    }

    /// What one cycle did, for its summary line.
    public struct Cycle: Sendable, Equatable {
        public var importedFiles = 0
        public var failedFiles = 0
        public var synced = 0
        public var polled = 0
        public var newPlays = 0
        public var enriched = 0
        public var skippedUsers = 0
        public var errors = 0
    }

    private let database: SpotlogDatabase
    private let options: Options
    private let client: (User) throws -> SpotifyClient
    private let shouldStop: @Sendable () -> Bool
    private let report: (Cycle) -> Void

    /// `client` makes a user's Spotify client; `shouldStop` is asked between steps; `report`
    /// is told of each finished cycle.
    public init(database: SpotlogDatabase, options: Options, client: @escaping (User) throws -> SpotifyClient,
                shouldStop: @escaping @Sendable () -> Bool, report: @escaping (Cycle) -> Void) {
        self.database = database
        self.options = options
        self.client = client
        self.shouldStop = shouldStop
        self.report = report
    }

    /// Runs cycles until stopped (or one, with `once`). The caller holds the `CollectorLock`, so
    /// collector jobs left `running` are a killed collector's: they are marked `interrupted`.
    public func run() throws {
        try database.writer.write { db in
            try db.execute(sql: """
                UPDATE job_runs SET status = 'interrupted', finished_at = ?
                WHERE status = 'running' AND job_type IN ('initial_sync', 'poll', 'enrich')
                """, arguments: [EpochMillis.now()])
        }
        let logger = Logger(label: "spotlog.daemon")
        while !shouldStop() {
            let done = try cycle()
            logger.info("""
                cycle: \(done.importedFiles) files imported (\(done.failedFiles) failed), \(done.synced) synced, \
                \(done.polled) polled, \(done.newPlays) new plays, \(done.enriched) tracks enriched, \(done.errors) errors
                """)
            report(done)
            if options.once { return }
            let wake = Date().addingTimeInterval(options.interval)
            while !shouldStop() && Date() < wake { Thread.sleep(forTimeInterval: min(0.1, wake.timeIntervalSinceNow)) }
        }
    }

    /// Removes log records older than the retention setting (days, default 30), once a day.
    private func purgeOldLogs() throws {
        let now = EpochMillis.now(), day: EpochMillis = 86_400_000
        let (retention, last) = try database.reader.read { db in
            (try Settings.get(Settings.logRetention, in: db).flatMap { Int64($0) } ?? 30,
             try Settings.get(Settings.lastLogPurge, in: db).flatMap { Int64($0) } ?? 0)
        }
        guard now - last >= day else { return }
        _ = try LogRecords.purge(before: now - retention * day, dryRun: false, in: database)
        try database.writer.write { db in try Settings.set(Settings.lastLogPurge, String(now), in: db) }
    }

    /// One cycle, in priority order.
    func cycle() throws -> Cycle {
        var cycle = Cycle()
        try purgeOldLogs()
        for outcome in try Inbox(path: options.inbox).importWaiting(into: database, shouldStop: shouldStop) {
            if outcome.imported { cycle.importedFiles += 1 } else { cycle.failedFiles += 1 }
            cycle.newPlays += outcome.inserted
        }
        var clients: [Int64: SpotifyClient] = [:]
        let users = try collectable(&cycle)
        let pendingSyncs = try database.reader.read { db in
            try Set(Int64.fetchAll(db, sql: """
                SELECT u.id FROM users u LEFT JOIN sync_state s ON s.user_id = u.id
                WHERE coalesce(s.initial_sync_status, 'pending') IN ('pending', 'running')
                """))
        }
        // A user whose step fails or is rate-limited is left alone for the rest of the cycle;
        // the others go on.
        var resting = Set<Int64>()
        func step(_ user: User, _ body: (SpotifyClient) throws -> SpotlogError?) {
            guard let id = user.id, !resting.contains(id) else { return }
            do {
                let client = try clients[id] ?? self.client(user)
                clients[id] = client
                if let error = try body(client) {
                    cycle.errors += 1
                    if error.category == .temporary || error.category == .authRequired { resting.insert(id) }
                }
            } catch {
                cycle.errors += 1
                resting.insert(id)
            }
        }
        for user in users where user.id.map(pendingSyncs.contains) == true && !shouldStop() {
            step(user) { client in
                let sync = try InitialSync.run(user, client: client, database: database, shouldStop: shouldStop)
                cycle.synced += 1
                cycle.newPlays += sync.inserted
                return sync.error
            }
        }
        for user in users where !shouldStop() {
            step(user) { client in
                let poll = try Poller.poll(user, client: client, database: database, shouldStop: shouldStop)
                cycle.polled += 1
                cycle.newPlays += poll.inserted
                return poll.error
            }
        }
        var budget = options.requestBudget - clients.values.reduce(0) { $0 + $1.requestsSent }
        for user in users where budget > 0 && !shouldStop() && user.id.flatMap({ clients[$0] }) != nil {
            step(user) { client in
                let enrich = try Enricher.run(user, client: client, database: database, budget: budget)
                budget -= enrich.requests
                cycle.enriched += enrich.enriched
                return enrich.error
            }
        }
        return cycle
    }

    /// The users to collect for: active, logged in, and not rate-limited now.
    private func collectable(_ cycle: inout Cycle) throws -> [User] {
        let now = EpochMillis.now()
        let limited = try database.reader.read { db in
            try Set(Int64.fetchAll(db, sql: "SELECT user_id FROM sync_state WHERE rate_limited_until > ?", arguments: [now]))
        }
        let loggedIn = try UserDirectory(database: database).loggedIn()
        let users = try loggedIn.filter { user in try user.status == .active && !limited.contains(user.rowID) }
        cycle.skippedUsers = loggedIn.count - users.count
        return users
    }
}
