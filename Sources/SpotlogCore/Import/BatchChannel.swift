import Foundation

/// A bounded, blocking hand-off of one file's parsed batches from a worker thread to the writer.
final class BatchChannel: @unchecked Sendable {
    // Safe: `messages` and `closed` are only touched while `condition` is locked.
    enum Message {
        /// Records parsed so far, and how many bytes of the file were read to get them.
        case batch(RecordBatch, bytesRead: Int64)
        /// The file was read to its end.
        case finished
        case failed(any Error)
    }

    /// Thrown by `put` when the writer no longer wants messages.
    struct Closed: ImportFlowError {}

    private let condition = NSCondition()
    private var messages: [Message] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Adds a message, waiting while the channel is full.
    func put(_ message: Message) throws {
        condition.lock()
        defer { condition.unlock() }
        while messages.count >= capacity && !closed { condition.wait() }
        if closed { throw Closed() }
        messages.append(message)
        condition.broadcast()
    }

    /// Takes the next message, waiting until there is one.
    func take() -> Message {
        condition.lock()
        defer { condition.unlock() }
        while messages.isEmpty { condition.wait() }
        let message = messages.removeFirst()
        condition.broadcast()
        return message
    }

    /// Refuses further messages and drops queued ones, waking a blocked worker.
    func close() {
        condition.lock()
        closed = true
        messages.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// Reads and parses the history files on background threads, in import order, each into its own
/// channel. Workers run at most a few batches ahead of the writer, so memory stays bounded.
final class ParsePipeline: @unchecked Sendable {
    // Safe: `spareBatches` and `nextFile` are only touched while `lock` is held; `threads` is
    // filled in `init` and read by `start` and `stop` on the writer's thread only.
    let channels: [BatchChannel]
    /// Batches the writer has finished with, reused so their large buffers are not freed and
    /// faulted in again for every batch.
    private var spareBatches: [RecordBatch] = []
    private let files: [HistoryFile]
    private let lock = NSLock()
    private var nextFile = 0
    private var threads: [Thread] = []
    private let finished = DispatchGroup()
    private let plausible: PlausiblePlay

    init(files: [HistoryFile], workers: Int, plausible: PlausiblePlay) {
        self.files = files
        self.plausible = plausible
        channels = files.map { _ in BatchChannel() }
        for worker in 0..<max(1, min(workers, files.count)) {
            finished.enter()
            let thread = Thread { [self] in
                Self.yieldToTheWriter()
                let sightings = Sightings()
                while let index = claim() { parse(index, worker: worker, sightings: sightings) }
                finished.leave()
            }
            thread.stackSize = 1 << 20
            threads.append(thread)
        }
    }

    func start() { threads.forEach { $0.start() } }

    /// How much lower the workers' scheduling priority is than the writer's (in `nice` steps).
    static let niceIncrement: Int32 = 5

    /// Lowers the calling worker thread's priority. The writer is the slower side of the
    /// pipeline, and on two cores it competes with both workers; when the scheduler favours it,
    /// the workers still keep it fed (they are blocked on a full channel most of the time) and
    /// an import finishes about 4% sooner (measured with Scripts/bench-import.py). On Linux a
    /// thread's nice value is its own.
    private static func yieldToTheWriter() {
        #if os(Linux)
        _ = nice(niceIncrement)
        #endif
    }

    /// Stops the workers (closing every channel) and waits for them.
    func stop() {
        lock.lock()
        nextFile = files.count
        lock.unlock()
        channels.forEach { $0.close() }
        finished.wait()
    }

    /// Hands a written batch back for reuse.
    func recycle(_ batch: RecordBatch) {
        batch.reset()
        lock.lock()
        if spareBatches.count < 8 { spareBatches.append(batch) }
        lock.unlock()
    }

    private func freshBatch(worker: Int) -> RecordBatch {
        lock.lock()
        let batch = spareBatches.popLast() ?? RecordBatch()
        lock.unlock()
        batch.worker = worker
        return batch
    }

    private func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextFile < files.count else { return nil }
        defer { nextFile += 1 }
        return nextFile
    }

    private func parse(_ index: Int, worker: Int, sightings: Sightings) {
        let file = files[index], channel = channels[index]
        let parser = FlatRecordParser()
        let normalizer = RecordNormalizer(family: file.format.family, sightings: sightings, plausible: plausible)
        var batch = freshBatch(worker: worker)
        var bytesRead: Int64 = 0
        do {
            try file.stream { chunk in
                bytesRead += Int64(chunk.count)
                try parser.feed(chunk) { record in
                    try normalizer.normalise(record, into: batch)
                    if batch.recordsRead >= 2048 {
                        try channel.put(.batch(batch, bytesRead: bytesRead))
                        batch = freshBatch(worker: worker)
                    }
                }
            }
            try parser.finish()
            try channel.put(.batch(batch, bytesRead: bytesRead))
            try channel.put(.finished)
        } catch is BatchChannel.Closed {
            return
        } catch {
            try? channel.put(.failed(error))
        }
    }
}
