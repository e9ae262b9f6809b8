import Foundation
import GRDB

/// How a track, episode or chapter is shown.
public struct ItemLabel: Equatable, Sendable {
    public let name: String
    /// Artist, show or book.
    public let creator: String?
    /// Album (music only).
    public let album: String?
}

/// One play, with what was played.
public struct ListedPlay: Equatable, Sendable {
    public let playedAt: EpochMillis
    public let kind: PlayKind
    public let label: ItemLabel
    public let msPlayed: Int64
    public let source: PlaySource
}

/// Lists of individual plays: the latest ones, and those matching a search.
public enum PlayListing {
    /// The latest counted plays in scope, newest first.
    public static func recent(_ scope: HistoryScope, limit: Int, in db: Database) throws -> [ListedPlay] {
        let condition = scope.playsCondition
        let sql = """
            SELECT played_at, kind, item_id, ms_played, source FROM plays WHERE \(condition.sql)
            ORDER BY played_at DESC LIMIT ?
            """
        return try labelled(Row.fetchAll(db, sql: sql, arguments: condition.arguments + [limit]), in: db)
    }

    /// Counted plays in scope whose track, artist or album (episode, show; chapter, book) contains
    /// `query`, ignoring case and accents; newest first.
    ///
    /// Months are visited newest first (from the month rollups, when they can answer), so a search
    /// reads only the plays of the months it needs.
    public static func search(_ query: String, scope: HistoryScope, limit: Int, in db: Database) throws -> [ListedPlay] {
        let needle = "%" + IdentityKey.fold(query).replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        // The matching items, as an SQL condition on (kind, item_id) with literal id lists.
        var conditions: [String] = []
        for kind in scope.kinds {
            let ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM \(PlayKind.itemTable(kind)) WHERE search_text LIKE ? ESCAPE '\\'
                """, arguments: [needle])
            if !ids.isEmpty {
                conditions.append("(kind = '\(kind.rawValue)' AND item_id IN (\(ids.map(String.init).joined(separator: ","))))")
            }
        }
        guard !conditions.isEmpty else { return [] }
        let matching = "(" + conditions.joined(separator: " OR ") + ")"
        let windows: [(EpochMillis?, EpochMillis?)]
        if scope.usesRollups {
            let months = try Int.fetchAll(db, sql: """
                SELECT DISTINCT month FROM play_months WHERE user_id = ? AND plays > 0 AND \(matching) ORDER BY month DESC
                """, arguments: [scope.userID])
            windows = months.map { (Rollups.start(ofMonth: $0), Rollups.start(ofMonth: $0 + 1)) }
        } else {
            windows = [(nil, nil)]
        }
        var found: [Row] = []
        for (start, end) in windows where found.count < limit {
            let from = [start, scope.period.from].compactMap { $0 }.max()
            let to = [end, scope.period.to].compactMap { $0 }.min()
            if let from, let to, from >= to { continue }
            let condition = scope.playsCondition(from: from, to: to)
            let sql = """
                SELECT played_at, kind, item_id, ms_played, source FROM plays WHERE \(condition.sql) AND \(matching)
                ORDER BY played_at DESC LIMIT ?
                """
            found += try Row.fetchAll(db, sql: sql, arguments: condition.arguments + [limit - found.count])
        }
        return try labelled(found, in: db)
    }

    /// Rows `(played_at, kind, item_id, ms_played, source)` with their item labels.
    private static func labelled(_ rows: [Row], in db: Database) throws -> [ListedPlay] {
        let items = try rows.map { row in
            (PlayKind(rawValue: try row.decode(String.self, atIndex: 1)) ?? .music, try row.decode(Int64.self, atIndex: 2))
        }
        let labels = try self.labels(for: items, in: db)
        return try zip(rows, items).map { row, item in
            let (kind, id) = item
            return ListedPlay(playedAt: try row.decode(atIndex: 0), kind: kind,
                              label: labels["\(kind.rawValue):\(id)"] ?? ItemLabel(name: "", creator: nil, album: nil),
                              msPlayed: try row.decode(atIndex: 3),
                              source: PlaySource(rawValue: try row.decode(String.self, atIndex: 4)) ?? .extended)
        }
    }

    /// Labels of items, keyed `kind:id`.
    static func labels(for items: [(PlayKind, Int64)], in db: Database) throws -> [String: ItemLabel] {
        var labels: [String: ItemLabel] = [:]
        for kind in PlayKind.allCases {
            let ids = Set(items.filter { $0.0 == kind }.map(\.1))
            guard !ids.isEmpty else { continue }
            let list = ids.map(String.init).joined(separator: ",")
            let sql: String
            switch kind {
            case .music:
                sql = """
                    SELECT t.id, t.name, a.name, al.name FROM tracks t
                    LEFT JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0 LEFT JOIN artists a ON a.id = ta.artist_id
                    LEFT JOIN albums al ON al.id = t.album_id WHERE t.id IN (\(list))
                    """
            case .podcast:
                sql = "SELECT e.id, e.name, s.name, NULL FROM episodes e LEFT JOIN shows s ON s.id = e.show_id WHERE e.id IN (\(list))"
            case .audiobook:
                sql = """
                    SELECT c.id, c.title, b.title, NULL FROM chapters c LEFT JOIN audiobooks b ON b.id = c.audiobook_id
                    WHERE c.id IN (\(list))
                    """
            }
            for row in try Row.fetchAll(db, sql: sql) {
                labels["\(kind.rawValue):\(try row.decode(Int64.self, atIndex: 0))"] = ItemLabel(
                    name: try row.decode(atIndex: 1), creator: try row.decode(atIndex: 2), album: try row.decode(atIndex: 3))
            }
        }
        return labels
    }
}
