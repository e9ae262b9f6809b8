import SpotlogCore

/// How results are printed: chosen with `--format` (or `--json`).
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, ndjson, csv
}

/// What a command produced, in every shape the output formats need.
///
/// `document` is the `--json` answer (a documented, versioned object). `items` are the records
/// printed one per line with `--format ndjson` (default: the document itself). `table` feeds the
/// terminal table and CSV; `text` replaces the table in the terminal when a command draws
/// something richer (a chart), and `emptyMessage` is shown there when there is nothing to list.
public struct CommandOutput: Sendable {
    public var document: JSONValue
    public var items: [JSONValue]?
    public var table: TextTable?
    public var text: String?
    public var emptyMessage: String?

    public init(document: JSONValue, items: [JSONValue]? = nil, table: TextTable? = nil, text: String? = nil,
                emptyMessage: String? = nil) {
        self.document = document
        self.items = items
        self.table = table
        self.text = text
        self.emptyMessage = emptyMessage
    }

    /// The output rendered in `format`; `style` decorates terminal text.
    func rendered(as format: OutputFormat, style: TerminalStyle) throws -> String {
        switch format {
        case .json:
            return document.serialized(pretty: true) + "\n"
        case .ndjson:
            return (items ?? [document]).map { $0.serialized() + "\n" }.joined()
        case .csv:
            guard let table else {
                throw SpotlogError.usage("--format csv is not available for this command; use --format json")
            }
            return table.csv()
        case .table:
            if let text { return text }
            if let table {
                if table.rows.isEmpty, let emptyMessage { return emptyMessage + "\n" }
                return table.render(header: style.bold)
            }
            return document.serialized(pretty: true) + "\n"
        }
    }
}

/// ANSI styling, applied only when colour is allowed.
public struct TerminalStyle: Sendable {
    public let enabled: Bool
    public func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    public func red(_ text: String) -> String { enabled ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    public func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
}
