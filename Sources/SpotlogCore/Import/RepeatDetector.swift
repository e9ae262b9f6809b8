/// Remembers the last second-precision play of a file: a record with the same end time, kind,
/// item and length is the same play, a duplicate whatever the database holds (one of another
/// length is another play). Real exports repeat some
/// rows verbatim, next to each other; marking them on the parse thread spares the writer an
/// insert that would be ignored, and the re-reading of which rows of a bulk insert were new.
final class RepeatDetector {
    private var kind: PlayKind?
    private var endedAt: Int64 = 0
    private var msPlayed: Int64 = 0
    private var uri: [UInt8] = []

    /// Whether this play repeats the one before it; if not, it becomes the one to compare with.
    func repeatsPrevious(_ kind: PlayKind, endedAt: Int64, msPlayed: Int64, uri: UnsafeBufferPointer<UInt8>) -> Bool {
        if kind == self.kind && endedAt == self.endedAt && msPlayed == self.msPlayed && uri.elementsEqual(self.uri) {
            return true
        }
        self.kind = kind
        self.endedAt = endedAt
        self.msPlayed = msPlayed
        self.uri.removeAll(keepingCapacity: true)
        self.uri.append(contentsOf: uri)
        return false
    }
}
