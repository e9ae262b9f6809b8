/// A malformed history file: what is wrong and at which byte.
struct JSONFormatError: ImportFlowError, Equatable {
    let offset: Int64
    let message: String
}

/// One value of a record as the parser saw it: its JSON type and where its bytes are.
struct RawValue {
    enum Kind: UInt8 { case string, number, boolean, null, nested }
    var kind: Kind = .null
    /// For strings, the bytes between the quotes (still escaped when `escaped`); for numbers,
    /// the literal.
    var start = 0
    var count = 0
    var escaped = false
    var boolean = false
}

/// A flat JSON object being handed to the caller by `FlatRecordParser`, which fills it in.
/// Valid only during the callback: its bytes live in the parser's buffer, its field table in
/// the parser.
struct RawRecord {
    var base: UnsafePointer<UInt8>
    let values: UnsafeMutablePointer<RawValue>
    /// The generation in which each field was last seen; a field belongs to this record when its
    /// generation is the record's.
    let seen: UnsafeMutablePointer<UInt32>
    var generation: UInt32 = 0
    /// Byte offset of the record in the file, for error messages.
    var offset: Int64 = 0

    /// The value of `field`, or `nil` when the record does not have the key.
    @inline(__always)
    func value(_ field: RecordField) -> RawValue? {
        seen[field.rawValue] == generation ? values[field.rawValue] : nil
    }

    /// The raw bytes of a value.
    @inline(__always)
    func bytes(_ value: RawValue) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + value.start, count: value.count)
    }
}
