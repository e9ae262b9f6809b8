/// A key of the rollup bookkeeping: two integers (see `RollupAccumulator` for what they hold).
struct RollupKey: Hashable {
    var high: Int64
    var low: Int64
}

/// Maps rollup keys to dense positions (0, 1, 2...) in the order they were first seen, so the
/// accumulator keeps its deltas in plain arrays.
///
/// An import updates three rollups per play; with `Dictionary`, hashing those keys (SipHash)
/// showed up in profiles. This is open addressing with a multiplicative hash instead.
struct RollupKeyIndex {
    private var slots: [Int32]
    private(set) var keys: [RollupKey] = []

    init() { slots = Array(repeating: -1, count: 64) }

    var count: Int { keys.count }

    /// The position of `key`, added at the end when new.
    @inline(__always)
    mutating func position(of key: RollupKey) -> Int {
        var slot = Self.hash(key) & (slots.count - 1)
        while true {
            let position = Int(slots[slot])
            if position < 0 { break }
            if keys[position] == key { return position }
            slot = (slot + 1) & (slots.count - 1)
        }
        keys.append(key)
        slots[slot] = Int32(keys.count - 1)
        if keys.count * 2 > slots.count { grow() }
        return keys.count - 1
    }

    /// The position of `key`, or `nil` when it was never added.
    func existingPosition(of key: RollupKey) -> Int? {
        var slot = Self.hash(key) & (slots.count - 1)
        while slots[slot] >= 0 {
            if keys[Int(slots[slot])] == key { return Int(slots[slot]) }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// Forgets every key, keeping the memory (the next transaction needs about as much).
    mutating func removeAll() {
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
        keys.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for (position, key) in keys.enumerated() {
            var slot = Self.hash(key) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(position)
        }
    }

    @inline(__always)
    private static func hash(_ key: RollupKey) -> Int {
        let mixed = UInt64(bitPattern: key.high) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: key.low) &* 0xC2B2_AE3D_27D4_EB4F
        return Int(truncatingIfNeeded: mixed >> 32 ^ mixed)
    }
}
