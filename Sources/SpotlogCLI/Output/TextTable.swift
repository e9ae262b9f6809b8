/// Rows of text with named columns, rendered as an aligned terminal table or as CSV.
public struct TextTable: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case left, right }

    public struct Column: Sendable, Equatable {
        public let title: String
        public let alignment: Alignment
        /// Cells wider than this are shortened with an ellipsis in terminal output (never in CSV).
        public let maxWidth: Int
        public init(_ title: String, _ alignment: Alignment = .left, maxWidth: Int = 48) {
            self.title = title
            self.alignment = alignment
            self.maxWidth = maxWidth
        }
    }

    public let columns: [Column]
    /// Whether the terminal rendering starts with the column titles (CSV always has them).
    public let showsHeader: Bool
    public private(set) var rows: [[String]] = []

    public init(_ columns: [Column], showsHeader: Bool = true) {
        self.columns = columns
        self.showsHeader = showsHeader
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row needs one cell per column")
        rows.append(row)
    }

    /// Aligned columns separated by two spaces; `header` styles the title row (e.g. bold).
    public func render(header: (String) -> String = { $0 }) -> String {
        let cells = rows.map { row in row.enumerated().map { Self.truncate($0.element, to: columns[$0.offset].maxWidth) } }
        var widths = columns.map { showsHeader ? DisplayWidth.of($0.title) : 0 }
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        func line(_ row: [String]) -> String {
            var text = ""
            for (index, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - DisplayWidth.of(cell))
                let isLast = index == row.count - 1
                switch columns[index].alignment {
                case .left: text += isLast ? cell : cell + pad
                case .right: text += pad + cell
                }
                if !isLast { text += "  " }
            }
            return text
        }
        var lines = showsHeader ? [header(line(columns.map(\.title)))] : []
        lines += cells.map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header row.
    public func csv() -> String {
        func quote(_ cell: String) -> String {
            guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let lines = [columns.map { quote($0.title) }] + rows.map { $0.map(quote) }
        return lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private static func truncate(_ text: String, to width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        var result = ""
        var used = 0
        for character in text {
            let next = DisplayWidth.of(character)
            if used + next > width - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }
}

/// Terminal columns a string occupies: East Asian wide characters take two, combining marks none.
enum DisplayWidth {
    static func of(_ text: String) -> Int { text.reduce(0) { $0 + of($1) } }

    static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let value = scalar.value
        if value < 0x1100 { return value == 0 ? 0 : 1 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }
}
