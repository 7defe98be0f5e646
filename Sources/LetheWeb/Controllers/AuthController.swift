import Foundation
import Hummingbird
import LetheCore

/// `/login` and `/logout`.
struct AuthController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let throttle: LoginThrottle
    let options: AppOptions

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/login", use: form)
        router.post("/login", use: signIn)
        router.post("/logout", use: signOut)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let issued = csrf.issue(for: request)
        var response = renderer.page("login", LoginView(csrfToken: issued.token, email: "", error: "", hasError: false))
        if let cookie = issued.cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let email = form["email"] ?? ""
        let password = form.values["password"] ?? ""
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        let now = options.clock.now

        if let until = throttle.lockedUntil(account: email, address: address, at: now) {
            let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
            var response = page(request, email: email, error: "Too many failed sign-ins. For your protection, sign-in is paused for \(minutes) minute\(minutes == 1 ? "" : "s"). Try again later.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(until.timeIntervalSince(now).rounded(.up)))
            return response
        }

        let user = email.isEmpty ? nil : try await database.staffUser(email: email)
        let matches = try await StaffPassword.verify(password, hash: user?.passwordHash ?? StaffPassword.decoyHash)
        guard let user, matches, user.disabledAt == nil else {
            throttle.recordFailure(account: email, address: address, at: now)
            try await database.audit("session.sign_in_failed", actor: .anonymous, subjectType: user == nil ? nil : "staff_user", subjectId: user?.id, at: now)
            return page(request, email: email, error: "The e-mail address or the password is wrong.", status: .unauthorized)
        }
        throttle.recordSuccess(account: email)
        // Always a new id: a session id the browser brought is never promoted to a signed-in one.
        let sessionId = try await database.startSession(for: user, at: now)
        var response = Response(status: .seeOther, headers: [.location: AccessPolicy.mayAdminister(user) ? "/hr" : "/staff"])
        response.setCookie(StaffSessionMiddleware.cookie(sessionId, secure: options.secureCookies))
        response.setCookie(csrf.freshCookie())
        context.logger.info("signed in", metadata: ["staff_user": "\(user.id!)"])
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        if let sessionId = request.cookies[StaffSessionMiddleware.cookieName]?.value {
            try await database.endSession(sessionId: sessionId)
        }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(StaffSessionMiddleware.expiredCookie())
        return response
    }

    private func page(_ request: Request, email: String, error: String, status: HTTPResponse.Status) -> Response {
        let issued = csrf.issue(for: request)
        var response = renderer.page("login", LoginView(csrfToken: issued.token, email: email, error: error, hasError: true), status: status)
        if let cookie = issued.cookie { response.setCookie(cookie) }
        return response
    }
}
