import Crypto
import _CryptoExtras
import Foundation

/// Fernet symmetric encryption, as published (https://github.com/fernet/spec): AES-128-CBC with
/// PKCS#7 padding, authenticated by HMAC-SHA256, in a url-safe base64 token. Interoperable with
/// Python's `cryptography.fernet`.
///
/// Token: `0x80 | timestamp (u64, big-endian seconds) | IV (16) | ciphertext | HMAC (32)`.
public struct Fernet: Sendable {
    /// The token was not made with this key, or was altered.
    public struct InvalidToken: Error, Equatable {}

    private let signingBytes: Data
    private let encryptionBytes: Data
    private var signingKey: SymmetricKey { SymmetricKey(data: signingBytes) }
    private var encryptionKey: SymmetricKey { SymmetricKey(data: encryptionBytes) }

    /// A key: 32 bytes in url-safe base64 (the first 16 sign, the last 16 encrypt).
    public init(key: String) throws {
        guard let bytes = Base64URL.decode(key), bytes.count == 32 else {
            throw SpotlogError.configuration("not a Fernet key: expected 32 bytes in url-safe base64")
        }
        signingBytes = Data(bytes.prefix(16))
        encryptionBytes = Data(bytes.suffix(16))
    }

    /// A new random key.
    public static func generateKey() -> String {
        Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }, padded: true)
    }

    /// Encrypts `plaintext`; `time` and `iv` are parameters only so tests can compare exact tokens.
    public func encrypt(_ plaintext: Data, at time: Date = Date(), iv: AES._CBC.IV = AES._CBC.IV()) throws -> String {
        var token = Data([0x80])
        withUnsafeBytes(of: UInt64(max(0, time.timeIntervalSince1970)).bigEndian) { token.append(contentsOf: $0) }
        withUnsafeBytes(of: iv) { token.append(contentsOf: $0) }
        token.append(try AES._CBC.encrypt(plaintext, using: encryptionKey, iv: iv))
        token.append(contentsOf: HMAC<SHA256>.authenticationCode(for: token, using: signingKey))
        return Base64URL.encode(token, padded: true)
    }

    public func encrypt(_ text: String) throws -> String { try encrypt(Data(text.utf8)) }

    /// Decrypts a token, after checking its version, layout and HMAC.
    public func decrypt(_ token: String) throws -> Data {
        guard let bytes = Base64URL.decode(token), bytes.count >= 1 + 8 + 16 + 16 + 32, bytes.first == 0x80,
              (bytes.count - (1 + 8 + 16 + 32)) % 16 == 0 else { throw InvalidToken() }
        let signed = bytes.prefix(bytes.count - 32), mac = bytes.suffix(32)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: signingKey) else {
            throw InvalidToken()
        }
        let iv = try AES._CBC.IV(ivBytes: bytes[bytes.startIndex + 9..<bytes.startIndex + 25])
        do {
            return try AES._CBC.decrypt(bytes[(bytes.startIndex + 25)..<(bytes.endIndex - 32)], using: encryptionKey, iv: iv)
        } catch {
            throw InvalidToken()
        }
    }

    public func decryptString(_ token: String) throws -> String {
        guard let text = String(data: try decrypt(token), encoding: .utf8) else { throw InvalidToken() }
        return text
    }
}

/// Url-safe base64 (RFC 4648 §5), accepting input with or without padding.
public enum Base64URL {
    public static func encode(_ data: Data, padded: Bool) -> String {
        var text = data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        if !padded { text = text.replacingOccurrences(of: "=", with: "") }
        return text
    }

    public static func decode(_ text: String) -> Data? {
        var standard = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
