import Foundation
import GRDB

/// The one error type the core throws at its callers.
///
/// Each error carries a `Category` that says what went wrong in terms a caller can act on;
/// the CLI maps categories to process exit codes in a single place. Messages are lower-case,
/// one line, and never contain secrets.
public struct SpotlogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is, independent of the message wording.
    public enum Category: String, Sendable, CaseIterable {
        /// The command line was wrong (unknown command or option, bad value, missing argument).
        case usage
        /// Input data was malformed (a broken export file, invalid JSON, a bad timestamp).
        case badInput = "bad_input"
        /// Something named by the user does not exist (a path, a user).
        case notFound = "not_found"
        /// A service the command needs cannot be reached or answered badly.
        case unavailable
        /// Try again later: rate limited, or another instance holds the lock.
        case temporary
        /// Spotify authorisation is missing, expired or revoked.
        case authRequired = "auth_required"
        /// Configuration is missing or wrong (client id, encryption key, database location).
        case configuration
        /// Anything else.
        case failure
    }

    /// What the person can do about it, for an interface to put in its own words (the CLI names
    /// its options); the core never names them.
    public enum Hint: String, Sendable {
        /// Several users could be meant: name one.
        case chooseUser
        /// The login's loopback port is taken: pick another.
        case choosePort
        /// No browser answered the login: paste the redirected address instead.
        case pasteRedirect
        /// Spotify refused the app's client id.
        case checkClientID
        /// No client id is known: give one (`SPOTIFY_CLIENT_ID` also works).
        case giveClientID
    }

    public let category: Category
    public let message: String
    public let hint: Hint?

    public init(_ category: Category, _ message: String, hint: Hint? = nil) {
        self.category = category
        self.message = message
        self.hint = hint
    }

    public var description: String { message }

    public static func usage(_ message: String, hint: Hint? = nil) -> SpotlogError { .init(.usage, message, hint: hint) }
    public static func badInput(_ message: String) -> SpotlogError { .init(.badInput, message) }
    public static func notFound(_ message: String) -> SpotlogError { .init(.notFound, message) }
    public static func unavailable(_ message: String) -> SpotlogError { .init(.unavailable, message) }
    public static func temporary(_ message: String) -> SpotlogError { .init(.temporary, message) }
    public static func authRequired(_ message: String) -> SpotlogError { .init(.authRequired, message) }
    public static func configuration(_ message: String) -> SpotlogError { .init(.configuration, message) }
    public static func failure(_ message: String) -> SpotlogError { .init(.failure, message) }
}

extension SpotlogError {
    /// Any error as a `SpotlogError`, so it gets a category and a one-line message.
    public static func from(_ error: any Error) -> SpotlogError {
        switch error {
        case let error as SpotlogError:
            return error
        case let error as SpotlogErrorConvertible:
            return error.spotlogError
        case let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode):
            return .temporary("the database is busy (another spotlog is writing); try again")
        case let error as DatabaseError where error.resultCode == .SQLITE_READONLY:
            return .configuration("the database is read-only; this command needs to write to it")
        case let error as DatabaseError:
            return .failure("database error: \(error.message ?? error.resultCode.description)")
        default:
            return .failure(String(describing: error))
        }
    }
}
