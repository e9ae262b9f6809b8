/// The items one parse thread has already seen, so that it prepares an item's match key and
/// search text once, with the item's first record.
///
/// A parse thread takes files in order, so its first sighting of an item is also the first
/// record of that item the writer meets (unless that record's file failed); the writer creates
/// the item from it without doing the Unicode work itself, and computes what a record lacks.
final class FirstSightings {
    private var seen = [ByteKeyTable(), ByteKeyTable(), ByteKeyTable()]

    /// Whether this is the first record of the item with `uri` (hashed as `hash`) of `kind`.
    func isFirst(_ kind: PlayKind, uri: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
        if seen[kind.index].value(for: uri, hash: hash) != nil { return false }
        seen[kind.index].set(1, for: uri, hash: hash)
        return true
    }
}
