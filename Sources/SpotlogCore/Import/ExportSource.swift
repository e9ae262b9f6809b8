import Foundation
import SpotlogDeflate
import ZIPFoundation

/// Safety caps for reading exports: they bound memory, time and disk no matter what a file claims.
public struct ImportLimits: Sendable, Equatable {
    /// Total uncompressed bytes of history files in one import.
    public var maxTotalBytes: Int64 = 2_000_000_000
    /// Largest uncompressed/compressed ratio of a ZIP entry over 1 MB (deflate bombs exceed 1000:1;
    /// Spotify's JSON compresses about 10:1).
    public var maxCompressionRatio: Int64 = 200
    /// Records in one import.
    public var maxRecords = 10_000_000
    /// Uncompressed bytes of history files committed together (about 30,000 extended records,
    /// or 4 MB of write-ahead log); a larger file is committed alone.
    public var bytesPerCommit: Int64 = 24 << 20

    public init() {}
}

/// Errors raised while consuming an entry's bytes, which must not be mistaken for ZIP damage.
protocol ImportFlowError: Error {}

/// One history file of an export: where it is, what format, how big.
struct HistoryFile: Sendable {
    enum Location: Sendable {
        case zipEntry(archive: String, entry: String)
        case file(String)
    }

    /// The path given on the command line.
    let container: String
    /// The file's name inside the container (or its path).
    let name: String
    let format: HistoryFormat
    /// Uncompressed size in bytes.
    let size: Int64
    let location: Location

    /// Streams the file's bytes in chunks, enforcing that it is no larger than declared.
    func stream(_ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        var total: Int64 = 0
        func counting(_ chunk: UnsafeRawBufferPointer) throws {
            total += Int64(chunk.count)
            if total > size {
                throw SpotlogError.badInput("\(name): larger than its declared size of \(size) bytes (corrupt or a ZIP bomb)")
            }
            try consume(chunk)
        }
        switch location {
        case .zipEntry(let archivePath, let entryPath):
            let archive: Archive
            do {
                archive = try Archive(url: URL(fileURLWithPath: archivePath), accessMode: .read)
            } catch {
                throw SpotlogError.badInput("\(archivePath): cannot read the ZIP archive")
            }
            guard let entry = archive[entryPath] else {
                throw SpotlogError.badInput("\(archivePath): entry \(entryPath) disappeared")
            }
            var checksum: UInt32 = 0
            do {
                // ZIPFoundation's CRC-32 is slow on Linux; libdeflate's is checked here instead.
                _ = try archive.extract(entry, bufferSize: 256 * 1024, skipCRC32: true) { data in
                    try data.withUnsafeBytes { chunk in
                        checksum = libdeflate_crc32(checksum, chunk.baseAddress, chunk.count)
                        try counting(chunk)
                    }
                }
            } catch {
                // Our own errors (from the consumer) pass through; ZIPFoundation's mean bad data.
                if error is SpotlogError || error is ImportFlowError { throw error }
                throw SpotlogError.badInput("\(name): the ZIP entry is corrupt or truncated (\(error))")
            }
            guard checksum == entry.checksum else {
                throw SpotlogError.badInput("\(name): the ZIP entry is corrupt (CRC-32 mismatch)")
            }
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw SpotlogError.notFound("\(path): cannot open the file")
            }
            defer { try? handle.close() }
            while true {
                let data = handle.readData(ofLength: 1 << 20)
                if data.isEmpty { break }
                try data.withUnsafeBytes { try counting($0) }
            }
        }
    }
}

/// What the paths given to `spotlog import` hold: the history files to read and the files ignored.
struct ExportContents: Sendable {
    var files: [HistoryFile] = []
    var ignored: [String] = []
    /// The export's `username` from `Userdata.json`, when the export has one.
    var username: String?

    /// Finds the history files in each path (a ZIP, an unzipped export folder, or a JSON file).
    static func scan(_ paths: [String], limits: ImportLimits) throws -> ExportContents {
        var contents = ExportContents()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SpotlogError.notFound("\(path): no such file or directory")
            }
            let before = contents.files.count
            if isDirectory.boolValue {
                try contents.scanDirectory(path)
            } else if try Self.isZip(path) {
                try contents.scanZip(path, limits: limits)
            } else {
                try contents.addSingleFile(path)
            }
            if contents.files.count == before {
                throw SpotlogError.badInput(
                    "\(path): no streaming history found (looked for endsong_*.json, Streaming_History_*.json "
                        + "and StreamingHistory*.json)")
            }
        }
        let total = contents.files.reduce(0) { $0 + $1.size }
        if total > limits.maxTotalBytes {
            throw SpotlogError.badInput("the history files hold \(total) bytes uncompressed, more than the "
                                        + "\(limits.maxTotalBytes) bytes spotlog accepts in one import")
        }
        contents.files.sort { HistoryFormat.importOrder(($0.format, $0.name), ($1.format, $1.name)) }
        return contents
    }

    private static func isZip(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SpotlogError.notFound("\(path): cannot open the file")
        }
        defer { try? handle.close() }
        let magic = [UInt8](handle.readData(ofLength: 4))
        return magic.starts(with: [0x50, 0x4B]) && (magic.count < 4 || [3, 5, 7].contains(magic[2]))
    }

    /// Finds the history files in a folder and its subfolders. A folder given as a symbolic link
    /// is read through it (subfolders that are links are not followed, so no loop is walked).
    private mutating func scanDirectory(_ directory: String) throws {
        let target = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: target) else {
            throw SpotlogError.notFound("\(directory): cannot read the directory")
        }
        for case let relative as String in walker {
            let path = (target as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            if let format = HistoryFormat.detect(path: relative) {
                let size = try Self.size(ofFileAt: path)
                files.append(HistoryFile(container: directory, name: relative, format: format, size: size,
                                         location: .file(path)))
            } else {
                if (relative as NSString).lastPathComponent == "Userdata.json" {
                    username = username ?? Self.username(fromUserdata: FileManager.default.contents(atPath: path))
                }
                ignored.append(relative)
            }
        }
    }

    private mutating func scanZip(_ path: String, limits: ImportLimits) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw SpotlogError.badInput("\(path): not a valid ZIP archive (truncated or corrupt)")
        }
        for entry in archive {
            let name = entry.path
            let components = name.split(separator: "/", omittingEmptySubsequences: false)
            if name.hasPrefix("/") || name.hasPrefix("\\") || name.contains("\\") || components.contains("..")
                || (name.count > 1 && name.dropFirst().first == ":") {
                throw SpotlogError.badInput("\(path): unsafe entry name '\(name)' (absolute or containing '..')")
            }
            guard entry.type == .file else { continue }
            guard let format = HistoryFormat.detect(path: name) else {
                if (name as NSString).lastPathComponent == "Userdata.json", entry.uncompressedSize < 1 << 20 {
                    var data = Data()
                    _ = try? archive.extract(entry) { data.append($0) }
                    username = username ?? Self.username(fromUserdata: data)
                }
                ignored.append(name)
                continue
            }
            let size = Int64(clamping: entry.uncompressedSize)
            let compressed = max(Int64(clamping: entry.compressedSize), 1)
            if size > 1 << 20 && size / compressed > limits.maxCompressionRatio {
                throw SpotlogError.badInput("\(path): entry '\(name)' expands \(size / compressed)-fold "
                                            + "(more than \(limits.maxCompressionRatio)); refusing a likely ZIP bomb")
            }
            files.append(HistoryFile(container: path, name: name, format: format, size: size,
                                     location: .zipEntry(archive: path, entry: name)))
        }
    }

    /// The size of the file at `path`, or of the file a symbolic link there points to.
    static func size(ofFileAt path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SpotlogError.notFound("\(path): cannot read the file (\(String(cString: strerror(errno))))")
        }
        return Int64(info.st_size)
    }

    private mutating func addSingleFile(_ path: String) throws {
        let size = try Self.size(ofFileAt: path)
        guard let format = HistoryFormat.detect(path: path) ?? Self.sniff(path) else {
            throw SpotlogError.badInput("\(path): neither a ZIP archive nor a Spotify streaming history JSON file")
        }
        files.append(HistoryFile(container: path, name: (path as NSString).lastPathComponent, format: format,
                                 size: size, location: .file(path)))
    }

    /// Guesses the format of a renamed history file from the keys of its first record.
    private static func sniff(_ path: String) -> HistoryFormat? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 64 * 1024), as: UTF8.self)
        guard head.drop(while: \.isWhitespace).first == "[" else { return nil }
        if head.contains("\"ts\"") && head.contains("\"ms_played\"") { return .extendedAudio }
        if head.contains("\"endTime\"") {
            if head.contains("\"podcastName\"") { return .accountPodcast }
            if head.contains("\"audiobookName\"") { return .accountAudiobook }
            return .accountMusic
        }
        return nil
    }

    private static func username(fromUserdata data: Data?) -> String? {
        guard let data, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return (object["username"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    }
}
