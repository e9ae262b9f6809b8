import Foundation
import SpotlogCore

/// `spotlog report` as one self-contained HTML file: inline CSS and SVG, no script, no font or
/// image from the network. Every chart is an SVG with a title and a text alternative, every
/// number is also written as text, so the page reads without colour and prints.
///
/// The markup is well-formed XML (every element closed, attributes quoted, only XML's own
/// entities), which lets the tests parse the page and each SVG with an XML parser.
struct HTMLReport {
    let report: ListeningReport

    func render() -> String {
        let summary = report.summary.body, header = report.summary.header
        let title = "Listening report: \(header.period.label)"
        var body = "<header><h1>\(escape(title))</h1><p class=\"meta\">\(escape(header.user)), times in \(escape(header.period.tz))"
        body += ", plays of at least \(header.minPlayedMs / 1000) s</p></header>\n"
        body += headline(summary)
        body += "<div class=\"grid\">\n"
        body += section("Top artists", ranking(report.topArtists.body, noun: "artist"))
        body += section("Top tracks", ranking(report.topTracks.body, noun: "track"))
        body += section("Top albums", ranking(report.topAlbums.body, noun: "album"))
        body += section("Discoveries", discoveries(report.discoveries.body))
        body += "</div>\n"
        body += section("When you listen", heatmap(report.heatmap.body), wide: true)
        body += section("Month by month", months(report.months.body), wide: true)
        body += "<div class=\"grid\">\n"
        body += section("Streaks", streaks(report.streaks.body))
        body += section("Podcasts and audiobooks", spoken())
        body += section("Coverage", coverage(report.coverage.body))
        body += "</div>\n"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>\(escape(title))</title>
            <style>\(Self.css)</style></head>
            <body>
            \(body)<footer><p>Made by spotlog \(escape(SpotlogVersion.current)) from the local listening history.</p></footer>
            </body></html>

            """
    }

    private func headline(_ summary: SummaryBody) -> String {
        let longest = report.streaks.body.longest.map { "\($0.days) days" } ?? "none"
        let figures: [(String, String)] = [
            (grouped(summary.plays), "plays"), (grouped(Int(summary.msPlayed / 60_000)), "minutes"),
            (grouped(summary.distinctArtists), "artists"), (grouped(summary.distinctTracks), "songs"),
            (grouped(summary.activeDays), "active days"), (longest, "longest streak"),
        ]
        return "<section class=\"headline\" aria-label=\"headline numbers\"><dl>"
            + figures.map { "<div><dt>\(escape($0.1))</dt><dd>\(escape($0.0))</dd></div>" }.joined() + "</dl></section>\n"
    }

    private func section(_ heading: String, _ content: String, wide: Bool = false) -> String {
        "<section\(wide ? " class=\"wide\"" : "")><h2>\(escape(heading))</h2>\n\(content)</section>\n"
    }

    /// Horizontal bars, longest first, each labelled with its name and plays.
    private func ranking(_ body: RankingBody, noun: String) -> String {
        guard let top = body.items.first else { return "<p>No plays in this period.</p>\n" }
        let rowHeight = 26, width = 460, labelWidth = 250
        let height = rowHeight * body.items.count
        var svg = svgOpen(width: width, height: height, label: "Top \(noun)s by plays: "
                          + body.items.map { "\($0.name) \($0.plays)" }.joined(separator: ", "))
        for (index, item) in body.items.enumerated() {
            let y = index * rowHeight
            let barWidth = max(2, Int(Double(width - labelWidth - 50) * Double(item.plays) / Double(max(top.plays, 1))))
            let name = item.artist.map { "\(item.name) — \($0)" } ?? item.name
            svg += "<g><title>\(escape(name)): \(item.plays) plays</title>"
            svg += "<text x=\"0\" y=\"\(y + 17)\" class=\"label\">\(escape(truncated(name, 34)))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 5)\" width=\"\(barWidth)\" height=\"16\" class=\"bar\" />"
            svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 17)\" class=\"value\">\(item.plays)</text></g>\n"
        }
        return svg + "</svg>\n"
    }

    /// Weekday × hour cells, darker for more plays, each with its count as a tooltip; the peak in words.
    private func heatmap(_ body: HeatmapBody) -> String {
        let peak = body.cells.max { $0.plays < $1.plays }
        guard let peak, peak.plays > 0 else { return "<p>No plays in this period.</p>\n" }
        let cell = 26, left = 40, top = 20
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        var svg = svgOpen(width: left + 24 * cell, height: top + 7 * cell,
                          label: "Plays by weekday and hour; the most on \(weekdays[peak.weekday - 1]) at \(peak.hour):00 "
                              + "(\(peak.plays) plays)")
        for hour in stride(from: 0, to: 24, by: 3) {
            svg += "<text x=\"\(left + hour * cell + 4)\" y=\"14\" class=\"axis\">\(hour):00</text>"
        }
        for weekday in 1...7 {
            svg += "<text x=\"0\" y=\"\(top + (weekday - 1) * cell + 17)\" class=\"axis\">\(weekdays[weekday - 1])</text>"
        }
        for item in body.cells {
            let level = item.plays == 0 ? 0 : 0.15 + 0.85 * Double(item.plays) / Double(peak.plays)
            svg += "<rect x=\"\(left + item.hour * cell)\" y=\"\(top + (item.weekday - 1) * cell)\" width=\"\(cell - 2)\" "
                + "height=\"\(cell - 2)\" class=\"cell\" fill-opacity=\"\(String(format: "%.2f", level))\">"
                + "<title>\(weekdays[item.weekday - 1]) \(item.hour):00, \(item.plays) plays</title></rect>"
        }
        return svg + "</svg>\n<p>Most plays: \(weekdays[peak.weekday - 1]) at \(peak.hour):00 (\(peak.plays)).</p>\n"
    }

    /// One column per month with its plays.
    private func months(_ body: TimelineBody) -> String {
        let items = body.items
        guard let most = items.map(\.plays).max(), most > 0 else { return "<p>No plays in this period.</p>\n" }
        let column = max(8, min(40, 900 / max(items.count, 1))), chartHeight = 160, top = 16
        var svg = svgOpen(width: column * items.count + 10, height: chartHeight + top + 24,
                          label: "Plays per month: " + items.map { "\($0.start.prefix(7)) \($0.plays)" }.joined(separator: ", "))
        for (index, item) in items.enumerated() {
            let height = Int(Double(chartHeight) * Double(item.plays) / Double(most))
            let x = index * column
            svg += "<g><title>\(item.start.prefix(7)): \(item.plays) plays</title>"
            svg += "<rect x=\"\(x + 1)\" y=\"\(top + chartHeight - height)\" width=\"\(column - 2)\" height=\"\(height)\" class=\"bar\" />"
            if items.count <= 24 || index % 3 == 0 {
                svg += "<text x=\"\(x + 1)\" y=\"\(top + chartHeight + 16)\" class=\"axis\">\(item.start.prefix(7).suffix(5))</text>"
            }
            svg += "</g>\n"
        }
        return svg + "</svg>\n"
    }

    private func streaks(_ body: StreaksBody) -> String {
        func line(_ label: String, _ streak: DayRange?) -> String {
            "<li>\(label): " + (streak.map { "\($0.days) days, \($0.start) to \($0.end)" } ?? "none") + "</li>"
        }
        return "<ul>\(line("Longest", body.longest))\(line("Current", body.current))<li>Active days: \(body.activeDays)</li></ul>\n"
    }

    private func discoveries(_ body: DiscoveriesBody) -> String {
        guard !body.items.isEmpty else { return "<p>No new artists in this period.</p>\n" }
        return "<ol>" + body.items.map { "<li>\(escape($0.name)) <span class=\"muted\">(first played \($0.firstPlayed.prefix(10)), "
            + "\($0.plays) plays)</span></li>" }.joined() + "</ol>\n"
    }

    private func spoken() -> String {
        func list(_ heading: String, _ body: RankingBody) -> String {
            "<h3>\(heading)</h3>" + (body.items.isEmpty ? "<p>None in this period.</p>"
                : "<ol>" + body.items.map { "<li>\(escape($0.name)) <span class=\"muted\">(\($0.plays) plays, "
                    + "\(grouped(Int($0.msPlayed / 60_000))) minutes)</span></li>" }.joined() + "</ol>")
        }
        return list("Shows", report.shows.body) + list("Audiobooks", report.books.body) + "\n"
    }

    private func coverage(_ body: CoverageBody) -> String {
        let sources = [("Extended streaming history", body.playsBySource.extended), ("Account data", body.playsBySource.account),
                       ("Web API", body.playsBySource.api)]
        return "<table><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Plays</th></tr></thead><tbody>"
            + sources.map { "<tr><td>\($0.0)</td><td class=\"number\">\(grouped($0.1))</td></tr>" }.joined()
            + "</tbody></table><p>Active on \(body.activeDays) of \(body.spanDays) days; \(body.gaps.count) gaps of more than "
            + "\(body.gapDays) days.</p>\n"
    }

    private func svgOpen(width: Int, height: Int, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" "
            + "role=\"img\" aria-label=\"\(escape(label))\"><title>\(escape(label))</title>\n"
    }

    private func grouped(_ number: Int) -> String {
        let digits = String(number)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return out
    }

    private func truncated(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// Text for HTML and XML: the five characters XML reserves.
    private func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    static let css = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#fff;\
        max-width:1040px;margin:24px auto;padding:0 16px}h1{font-size:26px;margin:0}h2{font-size:17px;margin:0 0 8px}\
        h3{font-size:15px;margin:8px 0 4px}.meta,.muted,footer{color:#555}.headline dl{display:flex;flex-wrap:wrap;gap:12px;\
        margin:16px 0}.headline div{border:1px solid #ccc;border-radius:8px;padding:8px 14px;min-width:120px}\
        .headline dt{font-size:13px;color:#555}.headline dd{margin:0;font-size:24px;font-weight:600}\
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:18px}section{margin:18px 0}\
        svg{max-width:100%;height:auto}.bar{fill:#1d7a46}.cell{fill:#1d7a46;stroke:#999;stroke-width:0.5}\
        .label,.value,.axis{font-size:12px;fill:#1d1d1f}table{border-collapse:collapse}th,td{border-bottom:1px solid #ddd;\
        padding:3px 10px;text-align:left}.number{text-align:right}ol,ul{margin:4px 0;padding-left:22px}\
        @media print{body{margin:0;max-width:none}section{break-inside:avoid}.grid{display:block}}
        """
}
