/// One play from any source, as plain values: what `PlayLedger` stores.
///
/// The export importer does not build these (it hands the ledger's writer parsed batches
/// directly, for speed); everything else does: Web API plays, and tests.
public struct LedgerPlay: Sendable, Equatable {
    /// How exactly `endedAt` is known.
    public enum Precision: Sendable, Equatable {
        /// The Web API's `played_at`.
        case millisecond
        /// Extended streaming history's `ts`.
        case second
        /// Account data's `endTime`.
        case minute
    }

    /// How long the play lasted.
    public enum Duration: Sendable, Equatable {
        case known(Int64)
        /// The source does not say (the Web API): the item's duration is stored instead, as an
        /// estimate, until a source that knows it brings the real value.
        case unknown
    }

    /// A credited artist, in the order the source lists them.
    public struct Artist: Sendable, Equatable {
        public var name: String
        public var uri: String?

        public init(name: String, uri: String? = nil) {
            self.name = name
            self.uri = uri
        }
    }

    /// What was played, with everything the source knows of it.
    public struct Item: Sendable, Equatable {
        /// A Spotify URI; `nil` when the source has only names (a `local:` id is derived).
        public var uri: String?
        public var name: String
        /// The artists (music; the first is the primary one), the show (podcast) or the book
        /// (audiobook: `uri` is the book's URI when known).
        public var creators: [Artist]
        public var albumName: String?
        public var albumURI: String?
        public var albumReleaseDate: String?
        public var durationMillis: Int64?
        public var isrc: String?

        public init(uri: String?, name: String, creators: [Artist], albumName: String? = nil, albumURI: String? = nil,
                    albumReleaseDate: String? = nil, durationMillis: Int64? = nil, isrc: String? = nil) {
            self.uri = uri
            self.name = name
            self.creators = creators
            self.albumName = albumName
            self.albumURI = albumURI
            self.albumReleaseDate = albumReleaseDate
            self.durationMillis = durationMillis
            self.isrc = isrc
        }
    }

    public var kind: PlayKind
    public var item: Item
    /// When the play ended, UTC epoch milliseconds.
    public var endedAt: EpochMillis
    public var precision: Precision
    public var played: Duration
    public var source: PlaySource

    public init(kind: PlayKind, item: Item, endedAt: EpochMillis, precision: Precision, played: Duration,
                source: PlaySource) {
        self.kind = kind
        self.item = item
        self.endedAt = endedAt
        self.precision = precision
        self.played = played
        self.source = source
    }

    /// The milliseconds stored for the play: the real value, else the item's duration (0 when
    /// that is unknown too).
    var storedMillis: Int64 {
        switch played {
        case .known(let millis): return millis
        case .unknown: return item.durationMillis ?? 0
        }
    }
}

extension LedgerPlay.Item {
    /// A Web API track object, with everything it tells.
    public init(track: SpotifyTrack) {
        self.init(uri: track.uri, name: track.name, creators: track.artists.map { LedgerPlay.Artist(name: $0.name, uri: $0.uri) },
                  albumName: track.album?.name, albumURI: track.album?.uri, albumReleaseDate: track.album?.releaseDate,
                  durationMillis: track.durationMs.map(Int64.init), isrc: track.externalIds?.isrc)
    }
}

extension LedgerPlay {
    /// A play of GET /me/player/recently-played: a music play with the track's full metadata,
    /// ending at `played_at` (millisecond precision), its length unknown.
    public init?(recentlyPlayed entry: SpotifyPlayHistory) {
        guard let endedAt = EpochMillis(iso8601: entry.playedAt) else { return nil }
        self.init(kind: .music, item: Item(track: entry.track), endedAt: endedAt, precision: .millisecond, played: .unknown,
                  source: .api)
    }
}
