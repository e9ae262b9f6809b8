/// The growable byte store that holds a batch's strings. Appends copy straight into it, without
/// `Array`'s per-call overhead (the parse threads append several strings per record).
final class ByteArena {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 18) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// The bytes of `slice` (valid until the next append, which may move them).
    @inline(__always)
    func bytes(_ slice: ArenaSlice) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + Int(slice.offset), count: max(Int(slice.count), 0))
    }

    /// Appends `bytes` and returns their slice.
    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) -> ArenaSlice {
        let offset = reserve(bytes.count)
        if let source = bytes.baseAddress { (base + offset).update(from: source, count: bytes.count) }
        return ArenaSlice(offset: Int32(offset), count: Int32(bytes.count))
    }

    /// Makes room for `size` more bytes at the end (their content is unspecified); returns
    /// where they start.
    @inline(__always)
    func reserve(_ size: Int) -> Int {
        if count + size > capacity { grow(to: count + size) }
        defer { count += size }
        return count
    }

    /// Drops everything after the first `newCount` bytes.
    func truncate(to newCount: Int) { count = min(count, newCount) }

    private func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = newCapacity
    }
}
