import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

/// Sends HTTP requests; the seam where tests could substitute the network.
public protocol HTTPTransport: Sendable {
    /// Sends `request`; throws `URLError` for transport failures (timeouts, refused connections).
    func send(_ request: URLRequest) throws -> HTTPResponse
}

/// `URLSession` (libcurl on Linux), made synchronous for the command line, with a cap on how many
/// requests are in flight at once across threads.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // Safe: both properties are constants, and URLSession and DispatchSemaphore are thread-safe
    // (Foundation on Linux does not mark URLSession Sendable).
    private let session: URLSession
    private let inFlight: DispatchSemaphore

    public init(timeout: TimeInterval = 30, maxConcurrentRequests: Int = 4) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        configuration.httpMaximumConnectionsPerHost = maxConcurrentRequests
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
        inFlight = DispatchSemaphore(value: maxConcurrentRequests)
    }

    public func send(_ request: URLRequest) throws -> HTTPResponse {
        inFlight.wait()
        defer { inFlight.signal() }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(error)
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields { headers[String(describing: key)] = String(describing: value) }
                box.result = .success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
            } else {
                box.result = .failure(URLError(.badServerResponse))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try box.result!.get()
    }

    private final class ResultBox: @unchecked Sendable {
        // Safe: written once by the completion handler before it signals `done`, and read only
        // after `done.wait()` returns.
        var result: Result<HTTPResponse, any Error>?
    }
}
