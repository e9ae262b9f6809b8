import Foundation

/// How patiently requests are retried.
public struct RetryPolicy: Sendable {
    /// Attempts in all for server errors (5xx), timeouts and connection failures.
    public var attempts = 4
    /// The first backoff; each retry doubles it (up to `maxDelay`), plus up to 50% random jitter.
    public var baseDelay: TimeInterval = 0.5
    public var maxDelay: TimeInterval = 8
    /// The longest `Retry-After` waited out; a longer one fails the request.
    public var rateLimitCap: TimeInterval = 60
    /// How many rate-limit waits one request may make.
    public var rateLimitWaits = 3

    public init() {}
}

/// Spotify asked us to wait longer than we will (or the app's quota is spent).
public struct SpotifyRateLimited: Error, SpotlogErrorConvertible, Equatable {
    public let until: EpochMillis
    public let quotaExceeded: Bool

    public var spotlogError: SpotlogError {
        let when = until.iso8601
        return .temporary(quotaExceeded
            ? "Spotify's quota for this app is exceeded (QUOTA_EXCEEDED); rate limited until \(when)"
            : "rate limited by Spotify until \(when)")
    }
}

/// Sends requests to Spotify with the retry policy: waits out short rate limits, backs off from
/// server and network failures, and turns everything else into clear errors that name the
/// endpoint (never a token).
final class SpotifyRequester: Sendable {
    let transport: any HTTPTransport
    let policy: RetryPolicy
    let sleep: @Sendable (TimeInterval) -> Void
    /// Told when a request fails because of a long rate limit, before the error is thrown.
    let onRateLimited: (@Sendable (SpotifyRateLimited) -> Void)?

    init(transport: any HTTPTransport, policy: RetryPolicy,
         sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) },
         onRateLimited: (@Sendable (SpotifyRateLimited) -> Void)? = nil) {
        self.transport = transport
        self.policy = policy
        self.sleep = sleep
        self.onRateLimited = onRateLimited
    }

    /// The response to `request` once it is neither a rate limit nor a server or network failure.
    func send(_ request: HTTPRequest, endpoint: String) throws -> HTTPResponse {
        var failures = 0, waits = 0
        while true {
            let response: HTTPResponse
            do {
                response = try transport.send(request)
            } catch let error as HTTPTransportError {
                failures += 1
                guard failures < policy.attempts else {
                    throw SpotlogError.unavailable("cannot reach Spotify (\(endpoint)): \(Self.describe(error))")
                }
                sleep(backoff(failures))
                continue
            }
            switch response.status {
            case 429:
                let seconds = response.header("Retry-After").flatMap(TimeInterval.init) ?? 1
                let quota = String(decoding: response.body, as: UTF8.self).contains("QUOTA_EXCEEDED")
                if quota || seconds > policy.rateLimitCap || waits >= policy.rateLimitWaits {
                    let limited = SpotifyRateLimited(until: .now() + EpochMillis(seconds * 1000), quotaExceeded: quota)
                    onRateLimited?(limited)
                    throw limited
                }
                waits += 1
                sleep(seconds)
            case 500...599:
                failures += 1
                guard failures < policy.attempts else {
                    throw SpotlogError.unavailable("Spotify failed (\(endpoint)): HTTP \(response.status) after \(failures) attempts")
                }
                sleep(backoff(failures))
            default:
                return response
            }
        }
    }

    private func backoff(_ failures: Int) -> TimeInterval {
        let delay = min(policy.maxDelay, policy.baseDelay * pow(2, Double(failures - 1)))
        return delay + Double.random(in: 0...(delay / 2))
    }

    private static func describe(_ error: HTTPTransportError) -> String {
        switch error {
        case .timedOut: return "timed out"
        case .connectionFailed: return "connection failed"
        case .failed(let message): return "network error (\(message))"
        }
    }
}

/// Errors that know their `SpotlogError` (category and message) for the CLI's single mapping.
public protocol SpotlogErrorConvertible: Error {
    var spotlogError: SpotlogError { get }
}
