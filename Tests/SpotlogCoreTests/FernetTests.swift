import Crypto
import _CryptoExtras
import Foundation
import Testing
@testable import SpotlogCore

/// Fernet, checked against Python's `cryptography.fernet` in both directions.
@Suite struct FernetTests {
    let key = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="

    @Test func roundTrips() throws {
        let fernet = try Fernet(key: key)
        for text in ["", "hello", "a refresh token: AQD-secret_123", String(repeating: "é", count: 100)] {
            #expect(try fernet.decryptString(try fernet.encrypt(text)) == text)
        }
    }

    @Test func producesTheSameTokenAsPythonForTheSameTimeAndIV() throws {
        let iv = try AES._CBC.IV(ivBytes: Array(0..<16) as [UInt8])
        let ours = try Fernet(key: key).encrypt(Data("hello".utf8), at: Date(timeIntervalSince1970: 499_162_800), iv: iv)
        let theirs = try PythonHelper.run("""
            import sys
            from cryptography.fernet import Fernet
            print(Fernet(sys.argv[1])._encrypt_from_parts(b"hello", 499162800, bytes(range(16))).decode())
            """, [key])
        #expect(ours == theirs)
    }

    @Test func pythonReadsOurTokens() throws {
        let token = try Fernet(key: key).encrypt("secret refresh token")
        let plain = try PythonHelper.run("""
            import sys
            from cryptography.fernet import Fernet
            print(Fernet(sys.argv[1]).decrypt(sys.argv[2].encode()).decode())
            """, [key, token])
        #expect(plain == "secret refresh token")
    }

    @Test func weReadPythonTokensAndKeys() throws {
        let output = try PythonHelper.run("""
            from cryptography.fernet import Fernet
            key = Fernet.generate_key()
            print(key.decode()); print(Fernet(key).encrypt("from python ✓".encode()).decode())
            """).split(separator: "\n").map(String.init)
        #expect(try Fernet(key: output[0]).decryptString(output[1]) == "from python ✓")
    }

    @Test func aWrongKeyOrATamperedTokenIsRejectedNeverGarbage() throws {
        let token = try Fernet(key: key).encrypt("secret")
        let other = try Fernet(key: Fernet.generateKey())
        #expect(throws: Fernet.InvalidToken.self) { try other.decrypt(token) }
        var bytes = Array(token.utf8)
        bytes[40] = bytes[40] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: Fernet.InvalidToken.self) { try Fernet(key: key).decrypt(String(decoding: bytes, as: UTF8.self)) }
        #expect(throws: Fernet.InvalidToken.self) { try Fernet(key: key).decrypt("not a token") }
        #expect(throws: SpotlogError.self) { try Fernet(key: "too short") }
    }

    @Test func keyStoreCreatesAPrivateKeyFileOnceAndHonoursTheEnvironment() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("spotlog-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = KeyStore(locations: Locations(environment: ["HOME": root.path, "XDG_CONFIG_HOME": root.appendingPathComponent("config").path]))
        let token = try store.fernet().encrypt("x")
        #expect(try store.fernet().decryptString(token) == "x", "the second use reads the same key")
        let attributes = try FileManager.default.attributesOfItem(atPath: store.keyFile)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: (store.keyFile as NSString).deletingLastPathComponent)
        #expect(directory[.posixPermissions] as? Int == 0o700)

        let fromEnvironment = KeyStore(locations: Locations(environment: ["HOME": root.path, "SPOTLOG_ENCRYPTION_KEY": key]))
        #expect(try fromEnvironment.fernet().decryptString(try Fernet(key: key).encrypt("y")) == "y")
        let broken = KeyStore(locations: Locations(environment: ["HOME": root.path, "SPOTLOG_ENCRYPTION_KEY": "nope"]))
        #expect(throws: SpotlogError.self) { try broken.fernet() }
    }
}
