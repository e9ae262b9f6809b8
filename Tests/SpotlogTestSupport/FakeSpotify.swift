import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The fake Spotify (`Tests/FakeSpotifyServer/fake_spotify.py`) running on 127.0.0.1 for one test,
/// with its control API. Stopped when released.
public final class FakeSpotify: @unchecked Sendable {
    public let baseURL: URL
    private let process: Process

    public init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("fake-spotify-\(UUID().uuidString).port")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Tests/FakeSpotifyServer/fake_spotify.py").path,
                             "--port", "0", "--port-file", portFile.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        var port: Int?
        while port == nil && Date() < deadline {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil { usleep(20_000) }
        }
        try? FileManager.default.removeItem(at: portFile)
        guard let port else {
            process.terminate()
            throw FakeSpotifyError(message: "the fake Spotify did not start")
        }
        baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The environment that points spotlog at this fake.
    public var environment: [String: String] {
        ["SPOTLOG_SPOTIFY_ACCOUNTS_URL": baseURL.absoluteString, "SPOTLOG_SPOTIFY_API_URL": baseURL.absoluteString,
         "SPOTIFY_CLIENT_ID": "test-client"]
    }

    /// POSTs a control command with a JSON body.
    @discardableResult
    public func control(_ command: String, _ body: [String: Any] = [:]) throws -> Data {
        var request = URLRequest(url: baseURL.appendingPathComponent("_control/\(command)"))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        return try HTTP.send(request).body
    }

    /// The requests the fake has received (method, path, query, form, headers).
    public func requests() throws -> [[String: Any]] {
        let data = try HTTP.send(URLRequest(url: baseURL.appendingPathComponent("_control/requests"))).body
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["requests"] as? [[String: Any]] ?? []
    }

    /// Acts as the browser: opens the authorisation URL, follows Spotify's redirect to the
    /// callback (without following it automatically), and returns the callback's status.
    public func authorize(_ url: URL) throws -> Int {
        let redirect = try HTTP.send(URLRequest(url: url))
        guard redirect.status == 302, let location = redirect.location, let callback = URL(string: location) else {
            throw FakeSpotifyError(message: "authorize answered \(redirect.status)")
        }
        return try HTTP.send(URLRequest(url: callback)).status
    }
}

public struct FakeSpotifyError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Minimal synchronous HTTP for tests, never following redirects.
public enum HTTP {
    public struct Response {
        public let status: Int
        public let location: String?
        public let body: Data
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    public static func send(_ request: URLRequest) throws -> Response {
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Response, any Error>?
        session.dataTask(with: request) { data, response, error in
            if let error {
                result = .failure(error)
            } else {
                let http = response as? HTTPURLResponse
                result = .success(Response(status: http?.statusCode ?? 0, location: http?.value(forHTTPHeaderField: "Location"),
                                           body: data ?? Data()))
            }
            done.signal()
        }.resume()
        done.wait()
        return try result!.get()
    }
}
