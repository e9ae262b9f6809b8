import Foundation
import Testing

/// The built binary's basic contract: help, version, usage errors, exit codes, streams.
@Suite struct FoundationEndToEndTests {
    @Test func helpListsEveryCommand() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        for command in ["auth", "sync", "poll", "import", "history", "mcp-call", "mcp-serve", "admin", "logs",
                        "daemon", "help"] {
            #expect(result.stdout.contains("\n  \(command) "), "help lists \(command)")
        }
        #expect(try sandbox.run(["help"]).stdout == result.stdout)
    }

    @Test func helpForACommand() throws {
        let sandbox = try Sandbox()
        let viaHelp = try sandbox.run(["help", "admin"])
        let viaFlag = try sandbox.run(["admin", "--help"])
        #expect(viaHelp.status == 0)
        #expect(viaHelp.stdout == viaFlag.stdout)
        #expect(viaHelp.stdout.hasPrefix("spotlog admin - administer the database and its users"))
        #expect(viaHelp.stdout.contains("status"))
        #expect(viaHelp.stdout.contains("users"))
        let unknown = try sandbox.run(["help", "admn"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr == "spotlog: error: unknown command 'admn' for 'spotlog'; did you mean 'admin'?\n")
    }

    @Test func version() throws {
        let result = try Sandbox().run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("spotlog "))
    }

    @Test func unknownCommandIsAUsageErrorWithASuggestion() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["imprt"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "spotlog: error: unknown command 'imprt' for 'spotlog'; did you mean 'import'?\n")
        let nothingClose = try sandbox.run(["nosuch"])
        #expect(nothingClose.status == 64)
        #expect(nothingClose.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path), "no database for a usage error")
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try Sandbox().run(["admin", "users", "list", "--jsn"])
        #expect(result.status == 64)
        #expect(result.stderr == "spotlog: error: unknown option '--jsn' for 'spotlog admin users list'; did you mean '--json'?\n")
    }

    @Test func usersListOnAFreshDatabase() throws {
        let sandbox = try Sandbox()
        try sandbox.createDatabase()
        let json = try sandbox.run(["admin", "users", "list", "--json"])
        #expect(json.status == 0)
        #expect(json.stdout == "[]\n")
        #expect(json.stderr.isEmpty)
        let table = try sandbox.run(["admin", "users", "list"])
        #expect(table.stdout.contains("no users yet"))
        let ndjson = try sandbox.run(["admin", "users", "list", "--format", "ndjson"])
        #expect(ndjson.stdout.isEmpty)
        let csv = try sandbox.run(["admin", "users", "list", "--format", "csv"])
        #expect(csv.stdout == "id,name,spotify id,status,plays,first play,last play,last poll,token expires\r\n")
    }

    @Test func databaseIsCreatedPrivateInTheXDGDataDirectory() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run(["import", ImportEndToEndTests.sample, "--quiet"]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.defaultDatabase.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: sandbox.defaultDatabase.deletingLastPathComponent().path)
        #expect((directory[.posixPermissions] as? Int) == 0o700)
    }

    @Test func databaseLocationFromFlagAndEnvironment() throws {
        let sandbox = try Sandbox()
        let flagPath = sandbox.root.appendingPathComponent("flag/my.db").path
        try sandbox.createDatabase(at: flagPath)
        let viaFlag = try sandbox.run(["admin", "status", "--json", "--db", flagPath])
        #expect(viaFlag.stdout.contains("\"path\": \"\(flagPath)\""))
        let envPath = sandbox.root.appendingPathComponent("env.db").path
        try sandbox.createDatabase(at: envPath)
        let viaEnv = try sandbox.run(["admin", "status", "--json"], environment: ["SPOTLOG_DB": envPath])
        #expect(viaEnv.stdout.contains("\"path\": \"\(envPath)\""))
        let both = try sandbox.run(["admin", "status", "--json", "--db", flagPath], environment: ["SPOTLOG_DB": envPath])
        #expect(both.stdout.contains("\"path\": \"\(flagPath)\""))
    }

    @Test func statusReportsSchemaAndCounts() throws {
        let sandbox = try Sandbox()
        try sandbox.createDatabase()
        let result = try sandbox.run(["admin", "status", "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
        #expect((object["database_version"] as? Int ?? 0) >= 1)
        #expect(object["plays"] as? Int == 0)
        #expect(object["users"] as? Int == 0)
        #expect((object["size_bytes"] as? Int ?? 0) > 0)
        let human = try sandbox.run(["admin", "status"])
        #expect(human.stdout.hasPrefix("database ") && human.stdout.contains(sandbox.defaultDatabase.path))
    }

    @Test func notADatabaseIsBadInput() throws {
        let sandbox = try Sandbox()
        let bogus = sandbox.root.appendingPathComponent("bogus.db")
        try Data(repeating: 0x41, count: 4096).write(to: bogus)
        let result = try sandbox.run(["admin", "status", "--db", bogus.path])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("spotlog: error: \(bogus.path) is not a spotlog database"))
    }

    @Test func jsonConflictsWithAnotherFormat() throws {
        let result = try Sandbox().run(["admin", "status", "--json", "--format", "csv"])
        #expect(result.status == 64)
        #expect(result.stderr == "spotlog: error: --json conflicts with --format csv\n")
    }

    @Test func groupWithoutSubcommandShowsItsHelp() throws {
        let result = try Sandbox().run(["admin", "users"])
        #expect(result.status == 0, "a group without a subcommand shows its help")
        #expect(result.stdout.contains("Commands:"))
    }

    @Test func closedPipeExitsQuietly() throws {
        let sandbox = try Sandbox()
        let process = Process()
        process.executableURL = Sandbox.binary
        process.arguments = ["man"]
        process.environment = sandbox.environment
        let out = Pipe(), err = Pipe()
        try out.fileHandleForReading.close()  // nobody will ever read: every write gets EPIPE
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(errors.isEmpty)
    }
}
