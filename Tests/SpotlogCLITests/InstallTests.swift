import Foundation
import Testing

/// `make install` and `make uninstall` into a temporary DESTDIR (with the test build of the
/// binary, so no release build is needed here).
@Suite struct InstallTests {
    static let files = ["bin/spotlog", "share/man/man1/spotlog.1", "share/bash-completion/completions/spotlog",
                        "share/zsh/site-functions/_spotlog", "share/fish/vendor_completions.d/spotlog.fish"]

    func make(_ target: String, destination: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["make", "--no-print-directory", "-C", Sandbox.packageRoot.path, target,
                             "DESTDIR=\(destination.path)", "PREFIX=/opt/spotlog", "BIN=\(Sandbox.binary.path)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func installPutsEveryFileUnderThePrefixAndUninstallRemovesThem() throws {
        let sandbox = try Sandbox()
        let destination = sandbox.root.appendingPathComponent("stage")
        #expect(try make("install", destination: destination) == 0)
        let prefix = destination.appendingPathComponent("opt/spotlog")
        for file in Self.files {
            let path = prefix.appendingPathComponent(file).path
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == (file.hasPrefix("bin/") ? 0o755 : 0o644), "\(file)")
        }
        let installed = Process()
        installed.executableURL = prefix.appendingPathComponent("bin/spotlog")
        installed.arguments = ["--version"]
        let output = Pipe()
        installed.standardOutput = output
        try installed.run()
        let version = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        installed.waitUntilExit()
        #expect(version.hasPrefix("spotlog "))
        let page = try String(contentsOf: prefix.appendingPathComponent("share/man/man1/spotlog.1"), encoding: .utf8)
        #expect(page == (try String(contentsOf: Sandbox.packageRoot.appendingPathComponent("man/spotlog.1"), encoding: .utf8)))

        #expect(try make("uninstall", destination: destination) == 0)
        for file in Self.files {
            #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent(file).path), "\(file)")
        }
    }
}
