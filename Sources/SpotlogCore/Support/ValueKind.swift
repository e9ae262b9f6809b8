/// The kind of value a command-line option, an argument or an MCP tool parameter takes; values
/// are validated and converted by `ValueParsing`, the same way for every caller.
public enum ValueKind: Sendable, Equatable {
    /// No value: the option is a switch.
    case flag
    /// Free text.
    case text
    /// A whole number within bounds.
    case integer(min: Int, max: Int)
    /// A length of time: `90s`, `5m`, `2h`, `7d`, `0` (a bare number means seconds).
    case duration
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// One of a fixed set of words.
    case choice([String])
    /// A file-system path.
    case path(PathKind)
    /// An IANA time zone name such as `Europe/Berlin`.
    case timeZone
    /// A history period: `7d`, `4w`, `6m`, `1y`, `all`, `YYYY` or `YYYY-MM`.
    case period
}

/// What a path option names, for completions.
public enum PathKind: Sendable, Equatable { case file, directory, any }
