import Foundation

/// A folder the daemon imports export files from. Each file (a ZIP, a history JSON file, or an
/// unzipped export folder) dropped into it is imported, then moved with its report to `done/`
/// or, when it failed for any reason, to `failed/`, so it is imported once; an earlier file of
/// the same name there is kept (the new one gets a numbered name). Files still being written
/// are left for a later cycle: those changed in the last `settleSeconds`, and browsers'
/// partial downloads (`.part`, `.crdownload`, `.tmp`).
public struct Inbox: Sendable {
    public let path: String
    public let settleSeconds: TimeInterval

    public init(path: String, settleSeconds: TimeInterval = 60) {
        self.path = path
        self.settleSeconds = settleSeconds
    }

    private static let partialSuffixes = [".part", ".crdownload", ".tmp"]

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
        let settled = Date().addingTimeInterval(-settleSeconds)
        let names = try manager.contentsOfDirectory(atPath: path).filter { name in
            guard !name.hasPrefix("."), name != "done", name != "failed",
                  !Self.partialSuffixes.contains(where: { name.hasSuffix($0) }) else { return false }
            let changed = (try? manager.attributesOfItem(atPath: (path as NSString).appendingPathComponent(name)))?[.modificationDate]
            return (changed as? Date).map { $0 <= settled } ?? false
        }.sorted()
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
                report = .object(["file": .string(name), "status": "failed", "error": .string(SpotlogError.from(error).message)])
                outcome = Outcome(name: name, imported: false, inserted: 0)
            }
            let folder = (path as NSString).appendingPathComponent(outcome.imported ? "done" : "failed")
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var target = (folder as NSString).appendingPathComponent(name)
            var number = 1
            while manager.fileExists(atPath: target) || manager.fileExists(atPath: target + ".report.json") {
                number += 1
                target = (folder as NSString).appendingPathComponent("\(number)-\(name)")
            }
            try manager.moveItem(atPath: file, toPath: target)
            try Data((report.serialized(pretty: true) + "\n").utf8).write(to: URL(fileURLWithPath: target + ".report.json"))
            outcomes.append(outcome)
        }
        return outcomes
    }
}
