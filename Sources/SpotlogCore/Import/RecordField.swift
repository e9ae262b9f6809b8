/// The fields of Spotify's history records that spotlog reads. Every other key (IP addresses,
/// user agents, anything new) is skipped by the parser and never stored.
enum RecordField: Int, CaseIterable {
    // Extended streaming history
    case ts, username, platform, msPlayedExtended, connCountry
    case trackName, albumArtistName, albumName, trackURI
    case episodeName, episodeShowName, episodeURI
    case audiobookTitle, audiobookURI, audiobookChapterURI, audiobookChapterTitle
    case reasonStart, reasonEnd, shuffle, skipped, offline, offlineTimestamp, incognitoMode
    // Account data
    case endTime, artistName, accountTrackName, msPlayedAccount
    case podcastName, accountEpisodeName, audiobookName, chapterName, authorName

    /// The JSON key as it appears in the files.
    var key: String {
        switch self {
        case .ts: return "ts"
        case .username: return "username"
        case .platform: return "platform"
        case .msPlayedExtended: return "ms_played"
        case .connCountry: return "conn_country"
        case .trackName: return "master_metadata_track_name"
        case .albumArtistName: return "master_metadata_album_artist_name"
        case .albumName: return "master_metadata_album_album_name"
        case .trackURI: return "spotify_track_uri"
        case .episodeName: return "episode_name"
        case .episodeShowName: return "episode_show_name"
        case .episodeURI: return "spotify_episode_uri"
        case .audiobookTitle: return "audiobook_title"
        case .audiobookURI: return "audiobook_uri"
        case .audiobookChapterURI: return "audiobook_chapter_uri"
        case .audiobookChapterTitle: return "audiobook_chapter_title"
        case .reasonStart: return "reason_start"
        case .reasonEnd: return "reason_end"
        case .shuffle: return "shuffle"
        case .skipped: return "skipped"
        case .offline: return "offline"
        case .offlineTimestamp: return "offline_timestamp"
        case .incognitoMode: return "incognito_mode"
        case .endTime: return "endTime"
        case .artistName: return "artistName"
        case .accountTrackName: return "trackName"
        case .msPlayedAccount: return "msPlayed"
        case .podcastName: return "podcastName"
        case .accountEpisodeName: return "episodeName"
        case .audiobookName: return "audiobookName"
        case .chapterName: return "chapterName"
        case .authorName: return "authorName"
        }
    }

    /// The field whose key is the `count` bytes at `pointer`, if spotlog reads it.
    @inline(__always)
    static func match(_ pointer: UnsafePointer<UInt8>, count: Int) -> RecordField? {
        KeyTable.shared.match(pointer, count: count)
    }
}

/// The keys laid out for matching raw bytes without allocation or reference counting: for each
/// key length, the keys of that length back to back, and their fields.
private final class KeyTable: @unchecked Sendable {
    // Safe: every buffer is filled in `init` and only read afterwards.
    static let shared = KeyTable()

    /// `starts[length]..<starts[length + 1]` indexes the keys of that length in `fields`, and
    /// `byteStarts[length]` is where the first of them begins in `bytes`.
    private let starts: UnsafeMutablePointer<Int>
    private let byteStarts: UnsafeMutablePointer<Int>
    private let fields: UnsafeMutablePointer<RecordField>
    private let bytes: UnsafeMutablePointer<UInt8>
    private let maxLength: Int

    private init() {
        let sorted = RecordField.allCases.sorted { $0.key.utf8.count < $1.key.utf8.count }
        maxLength = sorted.last!.key.utf8.count
        starts = .allocate(capacity: maxLength + 2)
        byteStarts = .allocate(capacity: maxLength + 2)
        fields = .allocate(capacity: sorted.count)
        bytes = .allocate(capacity: sorted.reduce(0) { $0 + $1.key.utf8.count })
        var index = 0, offset = 0
        for length in 0...maxLength + 1 {
            starts[length] = index
            byteStarts[length] = offset
            for field in sorted where field.key.utf8.count == length {
                fields[index] = field
                for byte in field.key.utf8 {
                    bytes[offset] = byte
                    offset += 1
                }
                index += 1
            }
        }
    }

    @inline(__always)
    func match(_ pointer: UnsafePointer<UInt8>, count: Int) -> RecordField? {
        guard count <= maxLength else { return nil }
        var offset = byteStarts[count]
        var index = starts[count]
        while index < starts[count + 1] {
            if ByteScan.equal(bytes + offset, pointer, count) { return fields[index] }
            offset += count
            index += 1
        }
        return nil
    }
}

