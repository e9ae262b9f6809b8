/// What was played: a music track, a podcast episode or an audiobook chapter.
public enum PlayKind: String, Sendable, CaseIterable, Codable {
    case music, podcast, audiobook
}

extension PlayKind {
    /// A dense index (0, 1, 2) for counting in arrays.
    var index: Int {
        switch self {
        case .music: return 0
        case .podcast: return 1
        case .audiobook: return 2
        }
    }

    /// The raw value as static UTF-8, for binding to SQL without a copy.
    var sqlText: UnsafeBufferPointer<UInt8> {
        switch self {
        case .music: return StaticString("music").buffer
        case .podcast: return StaticString("podcast").buffer
        case .audiobook: return StaticString("audiobook").buffer
        }
    }
}

extension PlaySource {
    /// A dense index (0, 1, 2), the position in `allCases`.
    var index: Int {
        switch self {
        case .api: return 0
        case .extended: return 1
        case .account: return 2
        }
    }

    /// The raw value as static UTF-8, for binding to SQL without a copy.
    var sqlText: UnsafeBufferPointer<UInt8> {
        switch self {
        case .api: return StaticString("api").buffer
        case .extended: return StaticString("extended").buffer
        case .account: return StaticString("account").buffer
        }
    }
}

private extension StaticString {
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount) }
}

/// Where a play was learnt from.
public enum PlaySource: String, Sendable, CaseIterable, Codable {
    /// The Web API's recently-played endpoint (second precision, URIs).
    case api
    /// The privacy export's extended streaming history (second precision, URIs, every field).
    case extended
    /// The privacy export's account data (minute precision, names only, last year).
    case account
}
