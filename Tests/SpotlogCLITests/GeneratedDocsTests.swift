import Foundation
import Testing
@testable import SpotlogCLI
import SpotlogCore

/// The committed man page, completion scripts and help goldens must match what the binary
/// generates from its command table. Run `SPOTLOG_RECORD=1 swift test` (or
/// `Scripts/update-docs.sh`) to re-record them after changing the table.
@Suite struct GeneratedDocsTests {
    static let recording = ProcessInfo.processInfo.environment["SPOTLOG_RECORD"] == "1"

    static let documents: [(file: String, arguments: [String])] = [
        ("man/spotlog.1", ["man"]),
        ("completions/spotlog.bash", ["completions", "bash"]),
        ("completions/_spotlog", ["completions", "zsh"]),
        ("completions/spotlog.fish", ["completions", "fish"]),
        ("Fixtures/golden/help.txt", ["--help"]),
        ("Fixtures/golden/help-admin-status.txt", ["help", "admin", "status"]),
    ]

    @Test(arguments: documents.map(\.file))
    func committedCopyIsUpToDate(file: String) throws {
        let arguments = try #require(Self.documents.first { $0.file == file }?.arguments)
        let result = try Sandbox().run(arguments)
        #expect(result.status == 0)
        let url = Sandbox.packageRoot.appendingPathComponent(file)
        if Self.recording {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(result.stdout.utf8).write(to: url)
            return
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == result.stdout, "\(file) is out of date: run Scripts/update-docs.sh")
    }

    @Test func bashCompletionOffersCommandsOptionsAndValues() throws {
        let script = try Sandbox().run(["completions", "bash"]).stdout
        func complete(_ words: [String]) throws -> [String] {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let program = """
                \(script)
                COMP_WORDS=(spotlog \(quoted)); COMP_CWORD=\(words.count)
                _spotlog; printf '%s\\n' "${COMPREPLY[@]}"
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", program]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text.split(separator: "\n").map(String.init)
        }
        #expect(try complete(["ad"]) == ["admin"])
        #expect(try complete(["admin", ""]).contains("status"))
        #expect(try complete(["admin", "users", "l"]).contains("list"))
        #expect(try complete(["admin", "status", "--js"]) == ["--json"])
        #expect(try complete(["admin", "status", "--format", "nd"]) == ["ndjson"])
        #expect(try complete(["completions", "f"]) == ["fish"])
        #expect(try complete(["history", "top-artists", "--period", "1"]) == ["1y"])
        #expect(try complete(["history", "recent", "--kind", "pod"]) == ["podcast"])
        #expect(try complete(["mcp-call", "history.top_a"]).sorted() == ["history.top_albums", "history.top_artists"])
        #expect(try complete(["report", "--period", "a"]) == ["all"])
        #expect(try complete(["import", "/etc/hostnam"]) == ["/etc/hostname"], "files for import")
    }

    @Test func manPageIsValidRoff() throws {
        let sandbox = try Sandbox()
        let page = try sandbox.run(["man"]).stdout
        #expect(page.hasPrefix(".TH SPOTLOG 1"))
        for section in [".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH EXIT STATUS", ".SH ENVIRONMENT", ".SH FILES"] {
            #expect(page.contains(section))
        }
        // groff itself, with every warning on, finds nothing to complain about.
        let file = sandbox.root.appendingPathComponent("spotlog.1")
        try Data(page.utf8).write(to: file)
        let groff = Process()
        groff.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        groff.arguments = ["groff", "-man", "-ww", "-z", file.path]
        let errors = Pipe()
        groff.standardError = errors
        try groff.run()
        let warnings = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        groff.waitUntilExit()
        #expect(groff.terminationStatus == 0)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(page.contains(".SS \"spotlog admin status [options]\""))
        #expect(!page.split(separator: "\n").contains { $0.hasPrefix(".") && $0.count == 1 })
    }

    /// Every variable the code reads (`EnvironmentVariable.all`) and every option's variable is
    /// documented in the man page and `spotlog help environment`; every exit code in
    /// `spotlog help exit-codes`.
    @Test func referenceTopicsCoverEveryDeclaration() throws {
        let documented = Set(ReferenceTopics.environment.map(\.variable.name))
        #expect(documented == Set(EnvironmentVariable.all.map(\.name)))
        let optionVariables = CommandTable.walk().flatMap { $0.command.options }.compactMap(\.environment)
            + GlobalOptions.all.compactMap(\.environment)
        #expect(Set(optionVariables).isSubset(of: documented))
        let sandbox = try Sandbox()
        let page = try sandbox.run(["man"]).stdout
        let environment = try sandbox.run(["help", "environment"]).stdout
        for variable in EnvironmentVariable.all {
            #expect(page.contains(".B \(variable.name)\n"), "\(variable.name)")
            #expect(environment.contains(variable.name + " "), "\(variable.name)")
        }
        let codes = try sandbox.run(["help", "exit-codes"]).stdout
        for category in SpotlogError.Category.allCases {
            #expect(codes.contains("\n\(ExitStatus.code(for: category)) ") || codes.hasPrefix("\(ExitStatus.code(for: category)) "))
        }
        #expect(try sandbox.run(["help", "files"]).stdout.contains("spotlog/key"))
    }
}

