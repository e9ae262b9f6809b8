import Foundation
import SpotlogCore

/// `spotlog import PATH...`: import Spotify's privacy export.
enum ImportCommand {
    static let paths = ArgumentSpec(
        "PATH", .path(.any), arity: .oneOrMore,
        help: "the export ZIP (my_spotify_data.zip), an unzipped export folder, or a history JSON file")
    static let dryRun = OptionSpec("dry-run", help: "read and check everything and report what would change; write nothing")

    static let spec = CommandSpec(
        "import", summary: "import Spotify's privacy export (ZIP, folder or JSON files)",
        discussion: """
            Reads Extended streaming history (endsong_N.json, Streaming_History_Audio_*.json, \
            Streaming_History_Video_*.json) and Account data (StreamingHistory*.json, _music_, _podcast_, \
            _audiobook_) from any folder of the export; other files are listed as ignored. Works offline. \
            Importing the same data again adds nothing; an account-data row that matches a stored play of the \
            same track in the same minute is merged into it. IP addresses and user agents are never stored.
            Each history file is written atomically: a malformed file is reported (exit 65) and leaves no rows, \
            the others are still imported. If no user exists, one is created, named by --user, else by the \
            export's username, else 'default'.
            """,
        arguments: [paths], options: [dryRun],
        examples: [
            .init("spotlog import ~/Downloads/my_spotify_data.zip", "import a whole export"),
            .init("spotlog import --dry-run --json export/", "check an unzipped export without writing"),
        ],
        jsonSchema: """
            {"schema_version": 1, "dry_run": bool, "user": string, "records_read": int, "inserted": int, \
            "duplicates": int, "merged": int, "skipped": {reason: int}, "by_kind": {"music": int, "podcast": int, \
            "audiobook": int}, "earliest": ISO 8601 or null, "latest": ISO 8601 or null, "ignored_files": [string], \
            "failed_files": int, "elapsed_ms": int, "files": [{"path": string, "file": string, "format": string, \
            "size_bytes": int, "status": "imported" | "failed", "error": string or null, "records_read": int, \
            "inserted": int, "duplicates": int, "merged": int, "skipped": {reason: int}, "by_kind": {...}, \
            "earliest": ..., "latest": ...}]}
            Skip reasons: unidentifiable, invalid_timestamp, invalid_ms_played, implausible_ms_played (a play \
            longer than 24 hours), implausible_timestamp (ending before 2006 or more than a day after now).
            """
    ) { context in
        var options = Importer.Options(paths: context.invocation.arguments(paths), userHandle: context.userHandle,
                                       dryRun: context.invocation.flag(dryRun))
        options.now = try HistoryParameters.now(context.environment)
        let progress = ProgressLine(console: context.console, enabled: context.showsProgress)
        // The files are found and their parsing started first, while the database opens.
        let prepared = try Importer.prepare(options)
        let report = try Importer(database: try context.openDatabase()).run(prepared) { step in
            progress.update(fraction: step.bytesTotal > 0 ? Double(step.bytesDone) / Double(step.bytesTotal) : 0) { elapsed in
                let rate = elapsed > 0 ? Int(Double(step.records) / elapsed) : 0
                return "\(step.filesDone)/\(step.filesTotal) files  \(step.records) records  \(rate) records/s"
            }
        }
        progress.finish()
        try context.emit(ImportReportView.output(report))
        if let failure = report.failedFiles.first {
            let others = report.failedFiles.count > 1 ? " (and \(report.failedFiles.count - 1) more failed files)" : ""
            throw SpotlogError.badInput((failure.error ?? failure.name) + others)
        }
    }
}
