import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `spotlog report` on the sample: one self-contained page that parses (as XML, which its
/// markup is), whose SVG charts parse on their own, that loads nothing from the network, and
/// whose numbers are those of the history documents.
@Suite struct ReportEndToEndTests {
    /// Parses `text` as XML; the parser's error when it is not well-formed.
    static func parse(_ text: String) -> String? {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() ? nil : String(describing: parser.parserError)
    }

    @Test func theReportIsOneSelfContainedPageBuiltFromTheHistoryDocuments() throws {
        let sandbox = try HistoryEndToEndTests.sandbox()
        let file = sandbox.root.appendingPathComponent("report.html").path
        let result = try sandbox.run(["report", "--period", "all", "--out", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let page = try String(contentsOfFile: file, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(Self.parse(page) == nil, "the page is well-formed")
        var svgs = 0
        var rest = page[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let svg = String(rest[start.lowerBound..<end.upperBound])
            #expect(Self.parse(svg) == nil, "an SVG parses on its own")
            #expect(svg.contains("role=\"img\"") && svg.contains("<title>"), "an SVG has a text alternative")
            svgs += 1
            rest = rest[end.upperBound...]
        }
        #expect(svgs == 5)
        for outside in ["<script", "src=\"http", "href=\"http", "@import", "url(", "<link"] {
            #expect(!page.contains(outside), "\(outside)")
        }
        let summary = try HistoryEndToEndTests().json(try sandbox.run(["history", "summary", "--json"]))
        let plays = try #require(summary["plays"] as? Int)
        let grouped = plays >= 1000 ? "\(plays / 1000),\(String(format: "%03d", plays % 1000))" : String(plays)
        #expect(page.contains("<dt>plays</dt><dd>\(grouped)</dd>"))
        let top = try HistoryEndToEndTests().json(try sandbox.run(["history", "top-artists", "--json"]))
        let first = try #require((top["items"] as? [[String: Any]])?.first)
        #expect(page.contains("<title>\(first["name"] as? String ?? "?"): \(first["plays"] as? Int ?? -1) plays</title>"))

        let standardOutput = try sandbox.run(["report", "--period", "all", "-o", "-"])
        #expect(standardOutput.stdout == page)
        let written = try HistoryEndToEndTests().json(try sandbox.run(["report", "--period", "all", "--out", file, "--json"]))
        #expect(written["out"] as? String == file && written["plays"] as? Int == plays)
    }

    @Test func badRequestsAreClearErrors() throws {
        let sandbox = try HistoryEndToEndTests.sandbox()
        let missing = try sandbox.run(["report"])
        #expect(missing.status == 64)
        #expect(missing.stderr == "spotlog: error: --out FILE is required ('-' for standard output)\n")
        let unwritable = try sandbox.run(["report", "--out", "/nonexistent/folder/report.html"])
        #expect(unwritable.status == 78)
        #expect(unwritable.stderr.hasPrefix("spotlog: error: cannot write /nonexistent/folder/report.html"))
        let empty = try Sandbox()
        try empty.createDatabase()
        let none = try empty.run(["report", "-o", "-"])
        #expect(none.status == 66)
        #expect(none.stderr == "spotlog: error: no listening history yet; import an export with 'spotlog import'\n")
    }
}
