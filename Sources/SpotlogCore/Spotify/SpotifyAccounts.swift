import Foundation

/// Spotify refused a grant (a used or wrong code, a revoked or expired refresh token).
public struct InvalidGrant: Error, Equatable {
    public let description: String
}

/// The accounts service: the authorisation URL and the token endpoint.
final class SpotifyAccounts: Sendable {
    let configuration: SpotifyConfiguration
    let requester: SpotifyRequester

    init(configuration: SpotifyConfiguration, requester: SpotifyRequester) {
        self.configuration = configuration
        self.requester = requester
    }

    /// Trades an authorisation code for tokens; `verifier` is the PKCE verifier (public clients).
    func exchange(code: String, redirectURI: String, verifier: String?) throws -> SpotifyTokenResponse {
        var form = ["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI]
        if let verifier { form["code_verifier"] = verifier }
        return try token(form)
    }

    /// A new access token (and perhaps a new refresh token).
    func refresh(_ refreshToken: String) throws -> SpotifyTokenResponse {
        try token(["grant_type": "refresh_token", "refresh_token": refreshToken])
    }

    private func token(_ fields: [String: String]) throws -> SpotifyTokenResponse {
        var form = fields
        var request = HTTPRequest(method: "POST", url: configuration.accountsURL.appendingPathComponent("api/token"),
                                  headers: [("Content-Type", "application/x-www-form-urlencoded")])
        if let secret = configuration.clientSecret {
            let credentials = Data("\(configuration.clientID):\(secret)".utf8).base64EncodedString()
            request.headers.append(("Authorization", "Basic \(credentials)"))
        } else {
            form["client_id"] = configuration.clientID
        }
        request.body = Data(FormEncoding.encode(form).utf8)
        let response = try requester.send(request, endpoint: "token")
        guard (200..<300).contains(response.status) else {
            let problem = try? SpotifyJSON.decoder().decode(SpotifyAccountsError.self, from: response.body)
            if problem?.error == "invalid_grant" { throw InvalidGrant(description: problem?.errorDescription ?? "invalid grant") }
            if problem?.error == "invalid_client" {
                throw SpotlogError(.configuration, "Spotify does not accept the client id (invalid_client)",
                                   hint: .checkClientID)
            }
            throw SpotlogError.unavailable("Spotify's token endpoint answered HTTP \(response.status)"
                                           + (problem.map { ": \($0.error)" } ?? ""))
        }
        return try SpotifyJSON.decode(SpotifyTokenResponse.self, from: response, endpoint: "token")
    }
}

/// `application/x-www-form-urlencoded` and query strings.
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// The fields of a query string (`a=1&b=x%20y`); `+` means a space.
    static func decode(_ query: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if let key = parts.first { fields[key] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }
}
