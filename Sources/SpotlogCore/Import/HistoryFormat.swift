import Foundation

/// The kinds of history file a Spotify privacy export contains, told apart by file name.
public enum HistoryFormat: String, Sendable, CaseIterable, Codable {
    /// `endsong_N.json` / `endsong.json` (extended history before 2023).
    case extendedEndsong = "extended_endsong"
    /// `Streaming_History_Audio_<years>[_N].json`.
    case extendedAudio = "extended_audio"
    /// `Streaming_History_Video_<years>[_N].json`.
    case extendedVideo = "extended_video"
    /// Account data before 2023: `StreamingHistoryN.json` (music and podcasts mixed, as music).
    case accountLegacy = "account_legacy"
    /// `StreamingHistory_music_N.json`.
    case accountMusic = "account_music"
    /// `StreamingHistory_podcast_N.json`.
    case accountPodcast = "account_podcast"
    /// `StreamingHistory_audiobook_N.json`.
    case accountAudiobook = "account_audiobook"

    /// Extended (second precision, URIs) or account data (minute precision, names).
    enum Family { case extended, account }

    var family: Family {
        switch self {
        case .extendedEndsong, .extendedAudio, .extendedVideo: return .extended
        case .accountLegacy, .accountMusic, .accountPodcast, .accountAudiobook: return .account
        }
    }

    /// The format of a file called `path` (any folder), or `nil` for files that hold no history.
    public static func detect(path: String) -> HistoryFormat? {
        let name = (path as NSString).lastPathComponent
        guard name.hasSuffix(".json") else { return nil }
        let stem = String(name.dropLast(5))
        func numbered(_ prefix: String) -> Bool {
            guard stem.hasPrefix(prefix) else { return false }
            let rest = stem.dropFirst(prefix.count)
            return !rest.isEmpty && rest.allSatisfy(\.isNumber)
        }
        if stem == "endsong" || numbered("endsong_") { return .extendedEndsong }
        if stem.hasPrefix("Streaming_History_Audio_") { return .extendedAudio }
        if stem.hasPrefix("Streaming_History_Video_") { return .extendedVideo }
        if numbered("StreamingHistory_music_") { return .accountMusic }
        if numbered("StreamingHistory_podcast_") { return .accountPodcast }
        if numbered("StreamingHistory_audiobook_") { return .accountAudiobook }
        if numbered("StreamingHistory") { return .accountLegacy }
        return nil
    }

    /// Import order: extended files first (the richer records), then account data; within a
    /// format, by name with numbers compared numerically.
    static func importOrder(_ lhs: (HistoryFormat, String), _ rhs: (HistoryFormat, String)) -> Bool {
        let lhsRank = lhs.0.family == .extended ? 0 : 1, rhsRank = rhs.0.family == .extended ? 0 : 1
        if lhsRank != rhsRank { return lhsRank < rhsRank }
        return lhs.1.compare(rhs.1, options: .numeric) == .orderedAscending
    }
}
