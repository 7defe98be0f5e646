import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore

/// A browser's cookie jar over the test client: keeps what the server sets, sends it back.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        try await send(uri, method: .get)
    }

    /// Posts a url-encoded form; `csrf: true` adds the token from the page at `tokenFrom`.
    @discardableResult
    func post(_ uri: String, _ fields: [String: String], csrfFrom tokenFrom: String? = "/login") async throws -> TestResponse {
        var fields = fields
        if let tokenFrom { fields["csrf_token"] = try await csrfToken(from: tokenFrom) }
        let body = fields.map { "\($0.key.formEncoded)=\($0.value.formEncoded)" }.joined(separator: "&")
        return try await send(uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// The CSRF token of the first form on a page.
    func csrfToken(from uri: String) async throws -> String {
        let html = String(buffer: try await get(uri).body)
        guard let range = html.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression) else { return "" }
        return String(html[range].split(separator: "\"")[3])
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers = headers
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), content = pair.count > 1 ? String(pair[1]) : ""
            if value.contains("Max-Age=0") || content.isEmpty { cookies[name] = nil } else { cookies[name] = content }
        }
        return response
    }

    /// Signs in through the login form and returns the response.
    @discardableResult
    func signIn(_ email: String, _ password: String) async throws -> TestResponse {
        try await post("/login", ["email": email, "password": password])
    }
}

extension String {
    var formEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: "%20", with: "+")
    }
}
