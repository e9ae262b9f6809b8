import Foundation
import SpotlogCurl

/// A request as the Spotify client sends it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header fields in the order they are sent.
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: String = "GET", url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A response as the client needs it.
public struct HTTPResponse: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A header, looked up without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A request that got no HTTP response (the caller may retry it).
public enum HTTPTransportError: Error, Equatable {
    case timedOut
    case connectionFailed(String)
    case failed(String)
}

/// Sends HTTP requests; the seam where tests could substitute the network.
public protocol HTTPTransport: Sendable {
    /// Sends `request`; throws `HTTPTransportError` when no response came.
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}

/// HTTP through libcurl, loaded on the first request (see `spotlog_curl.h`): offline commands
/// never load the network stack. FoundationNetworking, which linked libcurl and its thirty
/// libraries into every start, is no longer used: `spotlog --version` went from 16 to 8 ms
/// (farm-bench medians, static release build). TLS is libcurl's, verified against the system's
/// CA store. Synchronous for the command line, with a cap on how many requests are in flight at
/// once across threads.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    // Safe: both properties are constants; DispatchSemaphore is thread-safe, and each request
    // uses its own libcurl handle (libcurl is initialised once, before any of them).
    private let timeout: TimeInterval
    private let inFlight: DispatchSemaphore

    /// `timeout` bounds connecting and any stall of a transfer (a whole transfer may take twice as long).
    public init(timeout: TimeInterval = 30, maxConcurrentRequests: Int = 4) {
        self.timeout = timeout
        inFlight = DispatchSemaphore(value: maxConcurrentRequests)
    }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        var message = [CChar](repeating: 0, count: 512)
        guard spotlog_curl_load(&message, message.count) == 0 else {
            throw SpotlogError.unavailable(Self.text(message))
        }
        inFlight.wait()
        defer { inFlight.signal() }
        var status = 0, body = spotlog_curl_buffer(), headerLines = spotlog_curl_buffer()
        defer {
            spotlog_curl_buffer_free(&body)
            spotlog_curl_buffer_free(&headerLines)
        }
        let lines = request.headers.map { strdup("\($0.name): \($0.value)") }
        defer { lines.forEach { free($0) } }
        let outcome = lines.map { UnsafePointer($0) }.withUnsafeBufferPointer { headers in
            (request.body ?? Data()).withUnsafeBytes { bytes in
                spotlog_curl_perform(request.method, request.url.absoluteString, headers.baseAddress, headers.count,
                                     request.body == nil ? nil : bytes.baseAddress, bytes.count, Int(timeout.rounded(.up)),
                                     &status, &body, &headerLines, &message, message.count)
            }
        }
        switch outcome {
        case SPOTLOG_CURL_DONE:
            let bodyData = body.data.map { Data(bytes: $0, count: body.length) } ?? Data()
            return HTTPResponse(status: status, headers: Self.headers(headerLines), body: bodyData)
        case SPOTLOG_CURL_TIMED_OUT: throw HTTPTransportError.timedOut
        case SPOTLOG_CURL_CONNECT_FAILED: throw HTTPTransportError.connectionFailed(Self.text(message))
        default: throw HTTPTransportError.failed(Self.text(message))
        }
    }

    /// The NUL-terminated message in `characters`.
    private static func text(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The header fields of the last response in `buffer` (earlier ones were redirects).
    private static func headers(_ buffer: spotlog_curl_buffer) -> [String: String] {
        guard let data = buffer.data else { return [:] }
        var fields: [String: String] = [:]
        for line in String(decoding: UnsafeRawBufferPointer(start: data, count: buffer.length), as: UTF8.self)
            .split(separator: "\r\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("HTTP/") {
                fields.removeAll()
            } else if let colon = line.firstIndex(of: ":") {
                fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return fields
    }
}
