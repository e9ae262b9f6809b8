/// A hash map from byte strings (URIs, names) to ids that looks keys up straight from borrowed
/// bytes, so the import's hot path builds no `String` per record.
struct ByteKeyTable {
    private var slots: [Slot]
    private var keys: [UInt8] = []
    private(set) var count = 0

    private struct Slot {
        var hash: UInt64 = 0
        var keyStart: Int32 = -1
        var keyCount: Int32 = 0
        var value: Int64 = 0
    }

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
    }

    /// The value stored for `key`, if any; `hash` is `ByteKeyTable.hash(key)`.
    func value(for key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int64? {
        var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[index].keyStart >= 0 {
            if slots[index].hash == hash && matches(slots[index], key) { return slots[index].value }
            index = (index + 1) & (slots.count - 1)
        }
        return nil
    }

    /// Stores `value` for `key` (replacing any previous value); `hash` is `ByteKeyTable.hash(key)`.
    mutating func set(_ value: Int64, for key: UnsafeBufferPointer<UInt8>, hash: UInt64) {
        if (count + 1) * 2 > slots.count { grow() }
        var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[index].keyStart >= 0 {
            if slots[index].hash == hash && matches(slots[index], key) {
                slots[index].value = value
                return
            }
            index = (index + 1) & (slots.count - 1)
        }
        slots[index] = Slot(hash: hash, keyStart: Int32(keys.count), keyCount: Int32(key.count), value: value)
        keys.append(contentsOf: key)
        count += 1
    }

    mutating func removeAll() {
        slots = Array(repeating: Slot(), count: 16)
        keys = []
        count = 0
    }

    private func matches(_ slot: Slot, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(slot.keyCount) == key.count else { return false }
        return keys.withUnsafeBufferPointer { stored in
            guard let base = stored.baseAddress, let other = key.baseAddress else { return key.isEmpty }
            return ByteScan.equal(base + Int(slot.keyStart), other, key.count)
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        for slot in old where slot.keyStart >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & (slots.count - 1)
            while slots[index].keyStart >= 0 { index = (index + 1) & (slots.count - 1) }
            slots[index] = slot
        }
    }

    /// FNV-1a, 64-bit. Callers that look a key up many times may hash it once, elsewhere.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

