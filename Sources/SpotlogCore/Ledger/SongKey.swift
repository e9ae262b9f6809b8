import Foundation
/// Which tracks are one song: the key rankings count a song by (`tracks.song_key`), kept by the
/// ledger beside each track.
///
/// A track's song key is its match key ("artist|title", normalised) without the version tags
/// that re-releases add to a title: "Rio - 2001 Remaster", "Rio - 2009 Remaster" and "Rio" are
/// one song. Remastering and release-format tags ("- 2010 Remaster", "- Remastered",
/// "(Remastered 2009)", "[2011 Remaster]", "- Single Version", "- Album Version") are dropped;
/// anything that changes the recording stays ("- Live", "- Acoustic", "- Remix", "- Radio Edit",
/// "- Instrumental", "- Remastered 2011 / Live"). A track whose Web API ISRC another track
/// already has takes that track's song key (`ItemDetails`).
public enum SongKey {
    /// The song key of a track with match key `matchKey`.
    public static func of(matchKey: String) -> String {
        var key = Substring(matchKey)
        while let shorter = withoutTrailingTag(key) { key = shorter }
        return String(key)
    }

    /// `key` without its last version tag, or `nil` when it ends with none.
    private static func withoutTrailingTag(_ key: Substring) -> Substring? {
        let head: Substring, tag: Substring
        if let close = key.last, close == ")" || close == "]" {
            let open: Character = close == ")" ? "(" : "["
            guard let start = key.lastIndex(of: open) else { return nil }
            head = key[..<start]
            tag = key[key.index(after: start)..<key.index(before: key.endIndex)]
        } else if let dash = key.range(of: " - ", options: .backwards) {
            head = key[..<dash.lowerBound]
            tag = key[dash.upperBound...]
        } else {
            return nil
        }
        var title = head
        while title.last == " " { title.removeLast() }
        // Something of the title must stay: "Artist|(Remastered)" is a song called that.
        guard isVersionTag(tag), let bar = title.lastIndex(of: "|"), title.index(after: bar) < title.endIndex else { return nil }
        return title
    }

    /// Words a remastering tag is made of, besides years.
    private static let remasterWords: Set<Substring> = ["remaster", "remastered", "remastering", "re-master", "re-mastered",
                                                        "digital", "digitally", "version", "edition", "/"]

    /// Release-format tags that name no other recording.
    private static let formatTags: Set<String> = ["single version", "album version"]

    static func isVersionTag(_ tag: Substring) -> Bool {
        let words = tag.split(separator: " ")
        if formatTags.contains(words.joined(separator: " ")) { return true }
        guard words.contains(where: { $0.hasPrefix("remaster") || $0.hasPrefix("re-master") }) else { return false }
        return words.allSatisfy { word in remasterWords.contains(word) || isYear(word) }
    }

    private static func isYear(_ word: Substring) -> Bool {
        word.count == 4 && word.allSatisfy(\.isASCII) && word.allSatisfy(\.isNumber) && (word.hasPrefix("19") || word.hasPrefix("20"))
    }
}
