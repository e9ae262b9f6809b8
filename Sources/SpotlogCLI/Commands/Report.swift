import Foundation
import SpotlogCore

/// `spotlog report`: the listening history of a period as one self-contained HTML page.
enum ReportCommand {
    static let period = OptionSpec(
        "period", .period, default: "1y",
        help: "the period: 1y (the last year), a year (2024), all, or any other history period")
    static let out = OptionSpec("out", short: "o", .path(.file), placeholder: "FILE",
                                help: "where to write the HTML page ('-' for standard output)")

    static let spec = CommandSpec(
        "report", summary: "write a listening report as one self-contained HTML page",
        discussion: """
            The page has headline numbers, top artists, tracks and albums, a weekday and hour heatmap, plays per \
            month, streaks, discoveries, podcasts and audiobooks, and coverage by source. It uses inline CSS and SVG \
            only (no script, no font or image from the network), gives every chart a text alternative, reads \
            without colour and prints. Its numbers are the documents of the history queries (see 'spotlog history').
            """,
        options: [period, HistoryCommand.zone, out],
        examples: [.init("spotlog report --period 2025 --out 2025.html", "your 2025 as a web page"),
                   .init("spotlog report -o - | gzip > report.html.gz", "to standard output")],
        jsonSchema: "{\"schema_version\": 1, \"out\": string (the file written), \"period\": string, \"plays\": int} "
            + "(with --out -, the page itself)"
    ) { context in
        guard let path = context.invocation.string(out) else { throw SpotlogError.usage("--out FILE is required ('-' for standard output)") }
        var values: [String: String] = [:]
        for option in [period, HistoryCommand.zone] { values[option.long] = context.invocation.string(option) }
        guard let report = try ListeningReport.build(
            values, user: context.userHandle, now: try HistoryParameters.now(context.environment),
            database: try context.openDatabase(.readOnly), spelling: { "--\($0.name)" }) else {
            throw SpotlogError.notFound(HistoryView.emptyMessage)
        }
        let page = HTMLReport(report: report).render()
        if path == "-" {
            try context.console.out(page)
            return
        }
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SpotlogError.configuration("cannot write \(path): \((error as NSError).localizedDescription)")
        }
        let period = report.summary.header.period.label, plays = report.summary.body.plays
        if context.format == .table {
            if !context.quiet { context.console.err("wrote \(path) (\(period), \(plays) plays)\n") }
        } else {
            try context.emit(CommandOutput(document: .object([
                "schema_version": 1, "out": .string(path), "period": .string(period), "plays": .int(plays),
            ])))
        }
    }
}
