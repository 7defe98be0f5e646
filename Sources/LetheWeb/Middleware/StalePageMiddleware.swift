import Hummingbird
import LetheCore

/// Keeps Back from showing a page that a change has made stale: an erased applicant's name, a
/// withdrawn consent, a signed-out panel page.
///
/// Every page is sent `Cache-Control: no-store`, but Chromium still restores such pages from
/// its back/forward cache unless a cookie has changed since the page was shown. So every POST
/// that succeeded (and so may have changed something) sets a fresh `lethe_changed` cookie: a
/// random value that means nothing and is never read.
struct StalePageMiddleware<Context: RequestContext>: RouterMiddleware {
    static var cookieName: String { "lethe_changed" }
    let secureCookies: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if request.method == .post, response.status.code < 400 {
            response.setCookie(Cookie(name: Self.cookieName, value: SecretToken.generate().text, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}
