import Foundation

/// A one-shot HTTP listener on 127.0.0.1 that waits for the browser's redirect to `/callback`,
/// answers it with a small page, and closes. Other requests (a favicon) get a 404.
public final class LoopbackListener {
    private let socket: Int32
    public let port: Int

    /// Listens on 127.0.0.1:`port` (0 picks a free port).
    public init(port: Int) throws {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SpotlogError.failure("cannot open a socket: \(String(cString: strerror(errno)))") }
        var reuse: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw SpotlogError.usage("cannot listen on 127.0.0.1:\(port) (\(reason))", hint: .choosePort)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        self.socket = socket
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    deinit { close(socket) }

    /// Waits up to `timeout` for `GET /callback?...`; returns its query fields.
    public func waitForCallback(timeout: TimeInterval) throws -> [String: String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw SpotlogError(.authRequired, "no answer from the browser within \(Int(timeout)) seconds; try again",
                                   hint: .pasteRedirect)
            }
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(remaining, 1) * 1000)) > 0 else { continue }
            let client = accept(socket, nil, nil)
            guard client >= 0 else { continue }
            defer { close(client) }
            guard let target = Self.readRequestTarget(client) else { continue }
            let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
            guard path == "/callback" else {
                Self.respond(client, status: "404 Not Found", body: "not found")
                continue
            }
            let fields = FormEncoding.decode(target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "")
            let ok = fields["error"] == nil
            Self.respond(client, status: ok ? "200 OK" : "400 Bad Request", body: ok
                         ? "<h1>spotlog is connected to Spotify</h1><p>You can close this tab and return to the terminal.</p>"
                         : "<h1>spotlog was not authorised</h1><p>Return to the terminal for details.</p>")
            return fields
        }
    }

    /// The request target of `GET <target> HTTP/1.1`, read with a short timeout.
    private static func readRequestTarget(_ client: Int32) -> String? {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 8192)
        var received = 0
        while received < buffer.count {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress! + received, $0.count - received, 0) }
            guard count > 0 else { break }
            received += count
            if buffer[..<received].contains(0x0A) { break }
        }
        let line = String(decoding: buffer[..<received], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0] == "GET" else { return nil }
        return String(parts[1])
    }

    private static func respond(_ client: Int32, status: String, body: String) {
        let page = "<!doctype html><meta charset=utf-8><title>spotlog</title>\(body)"
        let response = "HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(page.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(page)"
        _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
