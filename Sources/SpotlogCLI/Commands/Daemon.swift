import Dispatch
import Foundation
import SpotlogCore

/// `spotlog daemon`: the long-running collector.
enum DaemonCommand {
    static let interval = OptionSpec("interval", .duration, default: "10m", help: "time between cycles")
    static let once = OptionSpec("once", help: "run one cycle and exit (for cron or a systemd timer)")
    static let inbox = OptionSpec("inbox", .path(.directory), placeholder: "DIR",
                                  help: "import export files dropped here (default: $XDG_DATA_HOME/spotlog/inbox)")

    static let spec = CommandSpec(
        "daemon", summary: "run the collector: import the inbox, sync, poll and enrich on a schedule",
        discussion: """
            Each cycle, in priority order: imports the export files dropped into the inbox (each then moves, with \
            a report, to inbox/done/ or inbox/failed/), runs the initial sync of users who have not had one, polls \
            every active user, then enriches the catalogue with the requests left of the cycle's budget. Paused \
            and needs-reauth users are skipped, and a rate-limited user until its retry time. Each cycle prints \
            one summary line on standard error. SIGTERM or SIGINT stops it between steps (a cut-short run is \
            recorded as interrupted) and it exits 0. It holds the collector lock while it runs.
            """,
        options: [interval, once, inbox],
        examples: [.init("spotlog daemon", "collect every 10 minutes until stopped"),
                   .init("spotlog daemon --once --quiet", "one cycle, for cron")]
    ) { context in
        let run = try CollectorRun(context, selectingUsers: false)
        let stop = StopRequest()
        var options = CollectorDaemon.Options(inbox: context.invocation.string(inbox) ?? context.locations.inboxDirectory)
        options.once = context.invocation.flag(once)
        options.interval = TimeInterval(try context.invocation.durationMillis(interval) ?? 600_000) / 1000
        let daemon = CollectorDaemon(database: run.database, options: options, client: run.client(for:),
                                     shouldStop: { stop.requested }) { cycle in
            guard !context.quiet else { return }
            context.console.err("""
                spotlog: cycle: \(cycle.importedFiles) files imported (\(cycle.failedFiles) failed), \(cycle.synced) synced, \
                \(cycle.polled) polled, \(cycle.newPlays) new plays, \(cycle.enriched) tracks enriched, \
                \(cycle.skippedUsers) users skipped, \(cycle.errors) errors\n
                """)
        }
        try daemon.run()
    }
}

/// Set by SIGTERM or SIGINT; the daemon checks it between steps.
final class StopRequest: @unchecked Sendable {
    // Safe: `flag` is locked; `sources` is set once in `init` and only keeps the sources alive.
    private let flag = Locked(false)
    private let sources: [any DispatchSourceSignal]

    init() {
        let flag = self.flag
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flag.withLock { $0 = true } }
            source.resume()
            return source
        }
    }

    var requested: Bool { flag.withLock { $0 } }
}
