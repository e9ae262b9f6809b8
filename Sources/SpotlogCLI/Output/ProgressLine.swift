import Foundation

/// A single self-overwriting progress line on standard error (drawn only on a terminal).
final class ProgressLine {
    private let console: Console
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private let started = Date()
    private var drawn = false

    init(console: Console, enabled: Bool) {
        self.console = console
        self.enabled = enabled
    }

    /// Redraws at most ten times a second: a bar for `fraction`, then `detail`.
    func update(fraction: Double, detail: (_ elapsed: TimeInterval) -> String) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let width = 24
        let filled = max(0, min(width, Int((fraction * Double(width)).rounded(.down))))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let percent = String(format: "%3d%%", Int((fraction * 100).rounded(.down)))
        console.err("\r\u{1B}[K\(percent) [\(bar)] \(detail(now.timeIntervalSince(started)))")
        drawn = true
    }

    /// Removes the line.
    func finish() {
        if drawn { console.err("\r\u{1B}[K") }
    }
}
