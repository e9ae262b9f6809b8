import SpotlogCore

/// How an import report is shown: the JSON document and the terminal summary.
enum ImportReportView {
    static func output(_ report: ImportReport) -> CommandOutput {
        let totals = report.totals
        var document: [JSONValue.Member] = [
            .init("schema_version", 1), .init("dry_run", .bool(report.dryRun)), .init("user", .string(report.user)),
        ]
        document += counts(totals)
        document += [
            .init("ignored_files", .array(report.ignoredFiles.map(JSONValue.string))),
            .init("failed_files", .int(report.failedFiles.count)),
            .init("elapsed_ms", .int(report.elapsedMillis)),
            .init("files", .array(report.files.map(file))),
        ]
        return CommandOutput(document: .object(document), items: report.files.map(file), table: table(report),
                             text: summary(report))
    }

    private static func counts(_ counts: FileCounts) -> [JSONValue.Member] {
        [
            .init("records_read", .int(counts.recordsRead)), .init("inserted", .int(counts.inserted)),
            .init("duplicates", .int(counts.duplicates)), .init("merged", .int(counts.merged)),
            .init("skipped", .object(SkipReason.allCases.map { .init($0.rawValue, .int(counts.skipped[$0] ?? 0)) })),
            .init("by_kind", .object(PlayKind.allCases.map { .init($0.rawValue, .int(counts.byKind[$0] ?? 0)) })),
            .init("earliest", .instant(counts.earliest)), .init("latest", .instant(counts.latest)),
        ]
    }

    private static func file(_ file: ImportReport.File) -> JSONValue {
        .object([
            .init("path", .string(file.container)), .init("file", .string(file.name)),
            .init("format", .string(file.format.rawValue)), .init("size_bytes", .int(file.size)),
            .init("status", .string(file.error == nil ? "imported" : "failed")),
            .init("error", .optional(file.error, JSONValue.string)),
        ] + counts(file.counts))
    }

    /// One row per file, for CSV.
    private static func table(_ report: ImportReport) -> TextTable {
        var table = TextTable([.init("file"), .init("format"), .init("status"), .init("records", .right),
                               .init("inserted", .right), .init("duplicates", .right), .init("merged", .right),
                               .init("skipped", .right)])
        for file in report.files {
            table.append([file.name, file.format.rawValue, file.error == nil ? "imported" : "failed",
                          String(file.counts.recordsRead), String(file.counts.inserted), String(file.counts.duplicates),
                          String(file.counts.merged), String(file.counts.skipped.values.reduce(0, +))])
        }
        return table
    }

    /// The terminal summary.
    private static func summary(_ report: ImportReport) -> String {
        let totals = report.totals
        let imported = report.files.count - report.failedFiles.count
        let verb = report.dryRun ? "would import" : "imported"
        var lines = ["\(verb) \(imported) of \(report.files.count) history files for user '\(report.user)' "
                     + "in \(Formatting.seconds(millis: report.elapsedMillis))"
                     + (report.dryRun ? " (dry run: nothing was written)" : "")]
        var table = TextTable([.init("what"), .init("count", .right), .init("detail", maxWidth: 100)], showsHeader: false)
        table.append(["records read", String(totals.recordsRead), ""])
        table.append([report.dryRun ? "would insert" : "inserted", String(totals.inserted), "new plays"])
        table.append(["duplicates", String(totals.duplicates), "already stored"])
        table.append(["merged", String(totals.merged), "same play from another source"])
        let skippedDetail = SkipReason.allCases.compactMap { reason in
            totals.skipped[reason].map { "\(reason.rawValue) \($0)" }
        }.joined(separator: ", ")
        table.append(["skipped", String(totals.skipped.values.reduce(0, +)), skippedDetail])
        table.append(["by kind", "", PlayKind.allCases.map { "\($0.rawValue) \(totals.byKind[$0] ?? 0)" }.joined(separator: ", ")])
        table.append(["range", "", "\(Formatting.instant(totals.earliest)) to \(Formatting.instant(totals.latest))"])
        if !report.ignoredFiles.isEmpty {
            table.append(["ignored files", String(report.ignoredFiles.count), report.ignoredFiles.prefix(3).joined(separator: ", ")
                          + (report.ignoredFiles.count > 3 ? ", ..." : "")])
        }
        lines.append(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        for failure in report.failedFiles { lines.append("  failed: \(failure.error ?? failure.name)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
