import Foundation
import SpotlogTestSupport
import Testing

/// Offline commands start without the network stack: libcurl is loaded (with dlopen) only when a
/// command first sends a request. The dynamic loader's own trace (`LD_DEBUG=files`, on standard
/// error) lists every library a process loads.
@Suite struct NetworkLoadingTests {
    static let trace = ["LD_DEBUG": "files"]

    @Test func offlineCommandsNeverLoadLibcurlAndNetworkCommandsLoadIt() throws {
        let (sandbox, fake) = try CollectorEndToEndTests.world()
        let offline: [[String]] = [
            ["--version"], ["help"], ["history", "top-artists"], ["history", "summary"], ["admin", "status"],
            ["import", ImportEndToEndTests.sample, "--quiet"], ["mcp-call", "history.recent"], ["completions", "bash"],
        ]
        for arguments in offline {
            let result = try sandbox.run(arguments, environment: Self.trace)
            #expect(result.status == 0, "\(arguments): \(result.stderr.suffix(300))")
            #expect(result.stderr.contains("file="), "the loader traced \(arguments)")
            #expect(!result.stderr.contains("libcurl"), "\(arguments) loaded libcurl")
        }
        let online = try sandbox.run(["poll"], environment: Self.trace)
        #expect(online.status == 0, "\(online.stderr.split(separator: "\n").filter { $0.contains("spotlog:") })")
        #expect(online.stderr.contains("file=libcurl.so.4"))
        #expect(try CollectorEndToEndTests.apiRequests(fake).contains("/v1/me/player/recently-played"))
    }
}
