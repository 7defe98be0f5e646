import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore

/// A browser's cookie jar over the test client: keeps what the server sets, sends it back.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// Headers sent with every request, e.g. what a reverse proxy adds.
    var extraHeaders: HTTPFields = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        try await send(uri, method: .get)
    }

    /// Posts a url-encoded form as a browser sends it from the page at `tokenFrom`: the hidden
    /// inputs of that page's form for `uri` (its CSRF token, signed terms), then `fields`. A page
    /// without such a form lends its first CSRF token.
    @discardableResult
    func post(_ uri: String, _ fields: [String: String], csrfFrom tokenFrom: String? = "/login") async throws -> TestResponse {
        var fields = fields
        if let tokenFrom {
            let html = String(buffer: try await get(tokenFrom).body)
            let hidden = Self.hiddenInputs(ofFormPostingTo: String(uri.prefix { $0 != "?" }), in: html)
            if hidden.isEmpty {
                fields["csrf_token"] = Self.firstCSRFToken(in: html)
            } else {
                fields.merge(hidden) { typed, _ in typed }
            }
        }
        let body = fields.map { "\($0.key.formEncoded)=\($0.value.formEncoded)" }.joined(separator: "&")
        return try await send(uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// The application form of a vacancy page, as this browser sees it.
    func formSession(vacancy id: Int64) async throws -> FormSession {
        let html = String(buffer: try await get("/jobs/\(id)").body)
        return FormSession(cookie: cookieHeader, token: try FormSession.hiddenField("csrf_token", in: html), terms: try FormSession.hiddenField("terms", in: html))
    }

    /// The CSRF token of the first form on a page.
    func csrfToken(from uri: String) async throws -> String {
        Self.firstCSRFToken(in: String(buffer: try await get(uri).body))
    }

    static func firstCSRFToken(in html: String) -> String {
        guard let range = html.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression) else { return "" }
        return String(html[range].split(separator: "\"")[3])
    }

    /// The hidden inputs of the first form on the page whose action is `action`.
    static func hiddenInputs(ofFormPostingTo action: String, in html: String) -> [String: String] {
        guard let start = html.range(of: "action=\"\(action)\"") else { return [:] }
        let form = html[start.upperBound...].prefix { _ in true }
        let body = form[..<(form.range(of: "</form>")?.lowerBound ?? form.endIndex)]
        var inputs: [String: String] = [:]
        var rest = body[...]
        while let match = rest.range(of: #"<input type="hidden" name="([^"]+)" value="([^"]*)""#, options: .regularExpression) {
            let parts = rest[match].split(separator: "\"", omittingEmptySubsequences: false)
            inputs[String(parts[3])] = String(parts[5])
            rest = rest[match.upperBound...]
        }
        return inputs
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers = headers
        for field in extraHeaders { headers.append(field) }
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

extension Browser {
    /// Posts form fields as they are, with no token fetched: for requests sent at the same moment.
    func postRaw(_ uri: String, _ fields: [String: String]) async throws -> TestResponse {
        try await post(uri, fields, csrfFrom: nil)
    }
}
