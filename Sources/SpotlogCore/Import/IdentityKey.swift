import Crypto
import Foundation

/// Deterministic identities for items the data names but does not identify.
///
/// Names are normalised (Unicode NFC, case-folded, white space trimmed and collapsed) so the same
/// song spelt with different spacing or case in different sources maps to the same key.
public enum IdentityKey {
    /// The normalised form of a name.
    public static func normalise(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: normaliseASCII(Array(name.utf8)), as: UTF8.self)
        }
        let folded = name.precomposedStringWithCanonicalMapping.lowercased()
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `normalise` for bytes (ASCII is handled without building a `String`).
    static func normalise(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) { return normaliseASCII(bytes) }
        return Array(normalise(String(decoding: bytes, as: UTF8.self)).utf8)
    }

    private static func normaliseASCII<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace { output.append(0x20); pendingSpace = false }
            output.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
        }
        return output
    }

    /// `local:` + hex SHA-1 of the normalised parts joined by `|` (e.g. artist|track|album).
    public static func localURI(_ parts: [String]) -> String {
        String(decoding: localURI(parts.map { Array(normalise($0).utf8) }), as: UTF8.self)
    }

    /// `localURI` over parts that are already normalised.
    static func localURI(_ normalisedParts: [[UInt8]]) -> [UInt8] {
        var hasher = Insecure.SHA1()
        for (index, part) in normalisedParts.enumerated() {
            if index > 0 { hasher.update(data: [UInt8(ascii: "|")]) }
            hasher.update(data: part)
        }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var output: [UInt8] = Array("local:".utf8)
        for byte in hasher.finalize() {
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0x0F)])
        }
        return output
    }

    /// Text for case- and accent-insensitive search: the parts folded and joined by spaces.
    public static func searchText(_ parts: [String?]) -> String {
        fold(parts.compactMap { $0 }.joined(separator: " "))
    }

    /// Lower-cased, without diacritics, white space collapsed: "Sigur Rós" becomes "sigur ros".
    public static func fold(_ text: String) -> String {
        // ASCII has no diacritics or wide forms: folding it is lower-casing (and much faster).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: normaliseASCII(Array(text.utf8)), as: UTF8.self)
        }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The normalised "creator|item" key that joins records of different sources.
    public static func matchKey(creator: String, item: String) -> String {
        normalise(creator) + "|" + normalise(item)
    }
}
