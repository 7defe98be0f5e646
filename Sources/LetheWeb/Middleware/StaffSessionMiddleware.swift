import Foundation
import Hummingbird
import LetheCore

/// The sign-in cookie, and the gate in front of every staff and HR page.
///
/// Sessions live in the database (a restart signs nobody out); the cookie holds a random id whose
/// hash is the row's key. A request without a live session is sent to the sign-in page.
struct StaffSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "lethe_session"

    let database: AppDatabase
    let policy: SessionPolicy
    let clock: WallClock
    /// When set, only HR accounts pass; others get 404 as if the page did not exist.
    var requireHR = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard let sessionId = request.cookies[Self.cookieName]?.value,
              let user = try await database.signedInUser(sessionId: sessionId, at: clock.now, policy: policy, language: Localizer.current.language.rawValue)
        else {
            var response = Response.redirect(to: "/login")
            if request.cookies[Self.cookieName] != nil { response.setCookie(Self.expiredCookie()) }
            return response
        }
        if requireHR, !AccessPolicy.mayAdminister(user) {
            try await database.recordDenial(of: user, "administer", subjectType: "page", subjectId: nil, at: clock.now)
            throw HTTPError(.notFound)
        }
        context.user = user
        return try await next(request, context)
    }

    /// The session cookie for a new sign-in.
    static func cookie(_ id: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: id, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// A cookie that makes the browser forget its session id.
    static func expiredCookie() -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax)
    }
}
