/// Numbers the items and play contexts one parse thread meets, in the order it first meets
/// them, so that the writer can find a record's catalogue rows by number instead of by bytes.
///
/// A parse thread takes files in order, and the writer writes files in order, so the first
/// record with a given number that the writer meets is the thread's first record of that item
/// (unless that record's file failed): the one that carries the item's match key and search
/// text, prepared here once. The writer keeps the row id it finds for each number
/// (`CatalogueCache`); later records with the number then cost it an array lookup instead of a
/// hash lookup that reads and compares bytes another core wrote.
final class Sightings {
    private var items = [ByteKeyTable(), ByteKeyTable(), ByteKeyTable()]
    private var contexts = ByteKeyTable()
    private var itemCount = 0

    /// The number of the item of `kind` with `uri` (from 0, shared by the kinds), and whether
    /// this is the first record of it.
    func item(_ kind: PlayKind, uri: UnsafeBufferPointer<UInt8>) -> (number: Int32, first: Bool) {
        let hash = ByteKeyTable.hash(uri)
        if let number = items[kind.index].value(for: uri, hash: hash) { return (Int32(number), false) }
        let number = itemCount
        itemCount += 1
        items[kind.index].set(Int64(number), for: uri, hash: hash)
        return (Int32(number), true)
    }

    /// The number of the play context `key` (a `PlayContextKey`), from 0.
    func context(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = ByteKeyTable.hash(key)
        if let number = contexts.value(for: key, hash: hash) { return Int32(number) }
        let number = contexts.count
        contexts.set(Int64(number), for: key, hash: hash)
        return Int32(number)
    }
}
