import Foundation

/// A folder the daemon imports export files from. Each file (a ZIP, a history JSON file, or an
/// unzipped export folder) dropped into it is imported, then moved with its report to `done/`
/// or, when it failed, to `failed/`, so it is imported once.
public struct Inbox: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// What happened to one file.
    public struct Outcome: Sendable, Equatable {
        public let name: String
        public let imported: Bool
        public let inserted: Int
    }

    /// Imports every file waiting in the inbox, oldest name first, unless `shouldStop` says to
    /// stop first.
    public func importWaiting(into database: SpotlogDatabase, shouldStop: () -> Bool) throws -> [Outcome] {
        let manager = FileManager.default
        try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let names = try manager.contentsOfDirectory(atPath: path)
            .filter { !$0.hasPrefix(".") && $0 != "done" && $0 != "failed" }.sorted()
        var outcomes: [Outcome] = []
        for name in names where !shouldStop() {
            let file = (path as NSString).appendingPathComponent(name)
            var report: JSONValue
            var outcome: Outcome
            do {
                let result = try Importer(database: database).run(Importer.Options(paths: [file]))
                let failure = result.failedFiles.first?.error
                report = .object([
                    "file": .string(name), "status": .string(failure == nil ? "imported" : "failed"),
                    "user": .string(result.user), "inserted": .int(result.totals.inserted),
                    "duplicates": .int(result.totals.duplicates), "merged": .int(result.totals.merged),
                    "error": .optional(failure, JSONValue.string),
                ])
                outcome = Outcome(name: name, imported: failure == nil, inserted: result.totals.inserted)
            } catch {
                let problem = SpotlogError.from(error)
                guard problem.category == .badInput || problem.category == .notFound else { throw error }
                report = .object(["file": .string(name), "status": "failed", "error": .string(problem.message)])
                outcome = Outcome(name: name, imported: false, inserted: 0)
            }
            let folder = (path as NSString).appendingPathComponent(outcome.imported ? "done" : "failed")
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let target = (folder as NSString).appendingPathComponent(name)
            try? manager.removeItem(atPath: target)
            try manager.moveItem(atPath: file, toPath: target)
            try Data((report.serialized(pretty: true) + "\n").utf8).write(to: URL(fileURLWithPath: target + ".report.json"))
            outcomes.append(outcome)
        }
        return outcomes
    }
}
