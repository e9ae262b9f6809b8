import Foundation
import Testing

/// Bad data, odd paths and concurrency, through the built binary: clear errors, exit codes,
/// and files left as they were.
@Suite struct HardeningEndToEndTests {
    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func extendedRow(_ ts: String, ms: String = "200000", track: String = "1") -> String {
        """
        {"ts": "\(ts)", "ms_played": \(ms), "master_metadata_track_name": "Song \(track)", \
        "master_metadata_album_artist_name": "Artist", "master_metadata_album_album_name": "Album", \
        "spotify_track_uri": "spotify:track:\(track)"}
        """
    }

    static func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test func absurdMsPlayedIsSkippedAndQueriesStillAnswer() throws {
        let sandbox = try Sandbox()
        let rows = (0..<12).map { Self.extendedRow(String(format: "2024-05-01T10:%02d:00Z", $0), ms: "999999999999999999") }
            + [Self.extendedRow("2024-05-02T10:00:00Z"), Self.extendedRow("0001-05-01T10:00:00Z"),
               Self.extendedRow("9999-05-01T10:00:00Z")]
        let file = sandbox.root.appendingPathComponent("Streaming_History_Audio_2024.json").path
        try Self.write("[" + rows.joined(separator: ",\n") + "]", to: file)
        let imported = try sandbox.run(["import", file, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
        #expect(report["inserted"] as? Int == 1)
        #expect(report["skipped"] as? [String: Int] == ["unidentifiable": 0, "invalid_timestamp": 0, "invalid_ms_played": 0,
                                                           "implausible_ms_played": 12, "implausible_timestamp": 2])
        for query in ["summary", "top-tracks", "top-artists", "heatmap", "timeline"] {
            let result = try sandbox.run(["history", query, "--json"])
            #expect(result.status == 0, "\(query): \(result.stderr)")
        }
    }

    @Test func commandsThatReadNeverCreateADatabase() throws {
        let sandbox = try Sandbox()
        let path = sandbox.root.appendingPathComponent("typo.db").path
        for arguments in [["history", "top-artists"], ["admin", "status"], ["admin", "users", "list"], ["auth", "status"]] {
            let result = try sandbox.run(["--db", path] + arguments)
            #expect(result.status == 66, "\(arguments)")
            #expect(result.stderr.contains(path) && result.stderr.contains("spotlog import"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        #expect(try sandbox.run(["history", "summary"]).status == 66, "nor at the default location")
        #expect(!FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path))
    }

    @Test func filesThatAreNotDatabasesAreLeftUntouched() throws {
        let sandbox = try Sandbox()
        let text = sandbox.root.appendingPathComponent("notes.txt").path
        try Self.write("my notes\n", to: text)
        chmod(text, 0o644)
        let link = sandbox.root.appendingPathComponent("link.db").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: text)
        let sample = ImportEndToEndTests.sample
        for path in [text, link] {
            for arguments in [["admin", "status"], ["import", sample]] {
                let result = try sandbox.run(["--db", path] + arguments)
                #expect(result.status == 65, "\(arguments): \(result.stderr)")
                #expect(result.stderr.hasPrefix("spotlog: error: ") && result.stderr.contains("not a spotlog database"))
            }
        }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "my notes\n")
        #expect(try Self.mode(text) == 0o644)
        let nullMode = try Self.mode("/dev/null")
        #expect(try sandbox.run(["--db", "/dev/null", "import", sample]).status == 78)
        #expect(try Self.mode("/dev/null") == nullMode)
    }

    @Test func twoProcessesCreatingOneDatabaseBothSucceed() throws {
        let sandbox = try Sandbox()
        let file = sandbox.root.appendingPathComponent("Streaming_History_Audio_2024.json").path
        try Self.write("[" + Self.extendedRow("2024-05-02T10:00:00Z") + "]", to: file)
        for round in 0..<5 {
            let path = sandbox.root.appendingPathComponent("new-\(round).db").path
            let processes = try (0..<2).map { _ in try sandbox.launch(["--db", path, "import", file, "--quiet"]) }
            for process in processes { process.waitUntilExit() }
            #expect(processes.map(\.terminationStatus) == [0, 0], "round \(round)")
            #expect(try sandbox.run(["--db", path, "admin", "status"]).status == 0)
        }
    }

    @Test func symlinkedExportsImport() throws {
        let sandbox = try Sandbox()
        let real = sandbox.root.appendingPathComponent("real").path
        try Self.write("[" + Self.extendedRow("2024-05-02T10:00:00Z") + "]", to: real + "/Streaming_History_Audio_2024.json")
        let folderLink = sandbox.root.appendingPathComponent("export").path
        try FileManager.default.createSymbolicLink(atPath: folderLink, withDestinationPath: real)
        let fileLink = sandbox.root.appendingPathComponent("linked/Streaming_History_Audio_2025.json").path
        try FileManager.default.createDirectory(atPath: (fileLink as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Self.write("[" + Self.extendedRow("2025-01-02T10:00:00Z", track: "2") + "]", to: real + "/other.json")
        try FileManager.default.createSymbolicLink(atPath: fileLink, withDestinationPath: real + "/other.json")
        for (path, plays) in [(folderLink, 1), (fileLink, 1), ((fileLink as NSString).deletingLastPathComponent, 0)] {
            let result = try sandbox.run(["import", path, "--json"])
            #expect(result.status == 0, "\(path): \(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(report["inserted"] as? Int == plays, "\(path)")
        }
    }

    @Test func theZoneKeepsTheNameGiven() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run(["import", ImportEndToEndTests.sample, "--quiet"]).status == 0)
        for zone in ["UTC", "Europe/Berlin"] {
            let result = try sandbox.run(["history", "summary", "--json", "--tz", zone])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect((document["period"] as? [String: Any])?["tz"] as? String == zone)
        }
    }

    /// A database spotlog cannot write to (here: a 0444 file in a 0555 folder, read by an
    /// unprivileged user, since root may write anything) answers queries and refuses writes.
    @Test func aReadOnlyDatabaseAnswersQueries() throws {
        let sandbox = try Sandbox()
        let folder = sandbox.root.appendingPathComponent("backup").path
        let path = folder + "/spotlog.db"
        #expect(try sandbox.run(["--db", path, "import", ImportEndToEndTests.sample, "--quiet"]).status == 0)
        let expected = try sandbox.run(["--db", path, "history", "top-artists", "--json"])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let unprivileged = try UnprivilegedRunner(sandbox: sandbox)
        try unprivileged.own(folder)
        chmod(path, 0o444)
        chmod(folder, 0o555)
        defer { chmod(folder, 0o755) }
        let answer = try unprivileged.run(["--db", path, "history", "top-artists", "--json"])
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.stdout == expected.stdout)
        let write = try unprivileged.run(["--db", path, "import", ImportEndToEndTests.sample])
        #expect(write.status == 78)
        #expect(write.stderr.contains("read-only"), "\(write.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Self.mode(path) == 0o444)
    }
}

/// Runs the binary as a user without privileges: as itself when the tests are not root, else
/// as `nobody` (through `setpriv`, from a copy of the binary that user may execute).
struct UnprivilegedRunner {
    let sandbox: Sandbox
    let isRoot = geteuid() == 0
    let binary: URL

    init(sandbox: Sandbox) throws {
        self.sandbox = sandbox
        binary = sandbox.root.appendingPathComponent("bin/spotlog")
        guard isRoot else { return }
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Sandbox.binary, to: binary)
        chmod(sandbox.root.path, 0o755)
    }

    /// Gives `path` (recursively) to the unprivileged user.
    func own(_ path: String) throws {
        guard isRoot else { return }
        for item in [path] + (FileManager.default.subpaths(atPath: path) ?? []).map({ path + "/" + $0 }) {
            chown(item, 65_534, 65_534)
        }
    }

    func run(_ arguments: [String]) throws -> Sandbox.Result {
        guard isRoot else { return try sandbox.run(arguments) }
        return try sandbox.run(arguments, executable: URL(fileURLWithPath: "/usr/bin/setpriv"),
                               prefix: ["--reuid=65534", "--regid=65534", "--clear-groups", binary.path])
    }
}
