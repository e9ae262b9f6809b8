import Foundation
import Testing
@testable import SpotlogCore

@Suite struct ParsePipelineTests {
    #if os(Linux)
    /// The nice value of each thread of this process, from `/proc/self/task/*/stat`.
    private func threadNiceValues() throws -> [Int32] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        return tasks.compactMap { task in
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                  let nameEnd = stat.lastIndex(of: ")") else { return nil }
            // After the parenthesised name come fields 3 (state) onwards; the nice value is field 19.
            let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
            return fields.count > 16 ? Int32(fields[16]) : nil
        }
    }

    @Test func workersRunBelowTheWritersPriority() throws {
        let fixture = try ExportFixture()
        // More records than a channel holds, so the worker is still there, waiting, when looked at.
        let row = Records.json([Records.track("2024-01-01T00:00:00Z")]).dropFirst().dropLast()
        let json = "[" + Array(repeating: String(row), count: 12_000).joined(separator: ",") + "]"
        let folder = try fixture.directory(["Streaming_History_Audio_2024.json": json])
        let pipeline = ParsePipeline(files: try ExportContents.scan([folder], limits: ImportLimits()).files, workers: 1,
                                     plausible: PlausiblePlay(now: .now()))
        pipeline.start()
        defer { pipeline.stop() }
        let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let expected = min(own + ParsePipeline.niceIncrement, 19)
        var seen = false
        for _ in 0..<500 where !seen {
            seen = try threadNiceValues().contains(expected)
            if !seen { usleep(10_000) }
        }
        #expect(seen, "no thread at nice \(expected); this thread is at \(own)")
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == own)
    }
    #endif
}
