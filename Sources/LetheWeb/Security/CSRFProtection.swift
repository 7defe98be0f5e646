@preconcurrency import Crypto
import Foundation
import Hummingbird
import LetheCore

/// The one CSRF mechanism of every form: a signed double-submit token.
///
/// The browser holds a random value in an HttpOnly cookie; each form carries
/// HMAC(server secret, that value) in `csrf_token`. A request whose token does not match its
/// cookie is refused, so another site can neither read nor forge it.
public struct CSRFProtection: Sendable {
    static let cookieName = "lethe_csrf"
    /// The form field holding the token.
    public static let fieldName = "csrf_token"

    let key: SymmetricKey
    let secureCookies: Bool

    /// The token to put in a form, and the cookie to set when the browser has none yet.
    func issue(for request: Request) -> (token: String, cookie: Cookie?) {
        if let value = request.cookies[Self.cookieName]?.value, isWellFormed(value) {
            return (token(for: value), nil)
        }
        let value = Self.randomValue()
        return (token(for: value), makeCookie(value))
    }

    /// A new cookie value, replacing the browser's; set at sign-in so no token from before it works after.
    func freshCookie() -> Cookie {
        makeCookie(Self.randomValue())
    }

    private static func randomValue() -> String {
        SecretToken.generate().text
    }

    /// Whether `submitted` is the token of the request's cookie.
    func isValid(_ submitted: String?, for request: Request) -> Bool {
        guard let submitted, let value = request.cookies[Self.cookieName]?.value, isWellFormed(value),
              let submittedMAC = Data(base64URLEncoded: submitted)
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(submittedMAC, authenticating: Data(("csrf:" + value).utf8), using: key)
    }

    /// A name for this browser that reveals nothing of its cookie: what a kept upload is tied to.
    /// Nil when the browser has no CSRF cookie yet.
    func browserHash(for request: Request) -> Data? {
        guard let value = request.cookies[Self.cookieName]?.value, isWellFormed(value) else { return nil }
        return Data(SHA256.hash(data: Data(("kept:" + value).utf8)))
    }

    /// Reads a url-encoded form and checks its token: 403, and nothing done, when it is wrong.
    func verifiedForm(_ request: Request, _ context: some RequestContext) async throws -> FormValues {
        let form = try await FormBody.read(request, context: context)
        guard isValid(form.raw[Self.fieldName], for: request) else { throw HTTPError(.forbidden) }
        return form
    }

    private func token(for value: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(("csrf:" + value).utf8), using: key)).base64URLEncoded
    }

    private func makeCookie(_ value: String) -> Cookie {
        Cookie(name: Self.cookieName, value: value, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    private func isWellFormed(_ value: String) -> Bool {
        SecretToken(value) != nil
    }
}
