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

    /// A 64-bit hash that reads eight bytes per step (keys are URIs and names of a few dozen
    /// bytes), finished with MurmurHash3's mix so that the low bits the table uses depend on
    /// every byte. Callers that look a key up many times may hash it once, elsewhere.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: key.count)
        guard let base = key.baseAddress else { return mix(hash) }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= key.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x100_0000_01b3
            hash ^= hash >> 29
            index += 8
        }
        var tail: UInt64 = 0
        if index < key.count && key.count >= 8 {
            // The last eight bytes, overlapping some already read.
            tail = raw.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self)
        } else {
            for (offset, byte) in key[index...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(offset)) }
        }
        return mix((hash ^ tail) &* 0x100_0000_01b3)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }
}

