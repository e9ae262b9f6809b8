import Foundation

/// Where the key that encrypts tokens at rest comes from: `SPOTLOG_ENCRYPTION_KEY`, else the key
/// file `$XDG_CONFIG_HOME/spotlog/key` (created 0600, in a 0700 directory, on first use).
public struct KeyStore: Sendable {
    public let locations: Locations

    public init(locations: Locations) { self.locations = locations }

    public var keyFile: String { (locations.configDirectory as NSString).appendingPathComponent("key") }

    /// The Fernet cipher for tokens, creating the key file when there is no key yet.
    public func fernet(createIfMissing: Bool = true) throws -> Fernet {
        if let key = locations.environment[EnvironmentVariable.encryptionKey] {
            do {
                return try Fernet(key: key)
            } catch {
                throw SpotlogError.configuration("SPOTLOG_ENCRYPTION_KEY is not a Fernet key (32 bytes in url-safe base64)")
            }
        }
        let fileManager = FileManager.default
        if let data = fileManager.contents(atPath: keyFile) {
            guard let key = try? Fernet(key: String(decoding: data, as: UTF8.self)) else {
                throw SpotlogError.configuration("\(keyFile) does not hold a Fernet key (32 bytes in url-safe base64)")
            }
            return key
        }
        guard createIfMissing else {
            throw SpotlogError.configuration("no encryption key: set SPOTLOG_ENCRYPTION_KEY or run 'spotlog auth login'")
        }
        return try createKeyFile()
    }

    private func createKeyFile() throws -> Fernet {
        let directory = locations.configDirectory
        do {
            if !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw SpotlogError.configuration("cannot create \(directory): \(error.localizedDescription)")
        }
        let key = Fernet.generateKey()
        let descriptor = open(keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return try fernet(createIfMissing: false) }  // another process made it first
            throw SpotlogError.configuration("cannot create \(keyFile): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array((key + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else {
            throw SpotlogError.configuration("cannot write \(keyFile): \(String(cString: strerror(errno)))")
        }
        return try Fernet(key: key)
    }
}
