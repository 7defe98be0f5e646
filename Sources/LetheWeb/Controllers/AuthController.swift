import Foundation
import Hummingbird
import LetheCore

/// `/login`, `/logout`, and `/login/reset` where a one-time code from HR sets a new password.
struct AuthController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let throttle: SignInThrottle
    let options: AppOptions

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/login", use: form)
        router.post("/login", use: signIn)
        router.post("/logout", use: signOut)
        router.get("/login/reset", use: resetForm)
        router.post("/login/reset", use: reset)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? = request.uri.queryParameters.get("saved") == "password" ? T("signIn.passwordSet") : nil
        return try page(context, LoginView.self, email: "", error: nil, notice: notice, status: .ok)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let email = String((form["email"] ?? "").prefix(254))
        let password = form.raw["password"] ?? ""
        let now = options.clock.now
        let subject = SignInThrottle.Subject(purpose: "sign-in", address: clientAddress(request, context), account: email)
        if let paused = try await pausedPage(context, LoginView.self, email: email, subject: subject, at: now) { return paused }

        let user = email.isEmpty ? nil : try await database.staffUser(email: email)
        let matches = try await StaffPassword.verify(password, hash: user?.passwordHash ?? StaffPassword.decoyHash)
        guard let user, matches else {
            try await database.recordSignInFailure(throttle, subject, at: now)
            try await database.audit("session.sign_in_failed", actor: .anonymous, subjectType: user == nil ? nil : "staff_user", subjectId: user?.id, at: now)
            return try page(context, LoginView.self, email: email, error: T("signIn.wrong"), status: .unauthorized)
        }
        try await database.recordSignInSuccess(throttle, subject)
        guard user.disabledAt == nil else {
            // Only someone who knows the password learns that the account exists and is disabled.
            try await database.audit("session.sign_in_refused", actor: .staff(user), subjectType: "staff_user", subjectId: user.id, detail: "reason=disabled", at: now)
            return try page(context, LoginView.self, email: email, error: T("signIn.disabled"), status: .forbidden)
        }
        // Always a new id: a session id the browser brought is never promoted to a signed-in one.
        let sessionId = try await database.startSession(for: user, at: now)
        var response = Response.redirect(to: AccessPolicy.mayAdminister(user) ? "/hr" : "/staff")
        response.setCookie(StaffSessionMiddleware.cookie(sessionId, secure: options.secureCookies))
        response.setCookie(csrf.freshCookie())
        context.logger.info("signed in", metadata: ["staff_user": "\(user.id!)"])
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await csrf.verifiedForm(request, context)
        if let sessionId = request.cookies[StaffSessionMiddleware.cookieName]?.value {
            try await database.endSession(sessionId: sessionId)
        }
        var response = Response.redirect(to: "/login")
        response.setCookie(StaffSessionMiddleware.expiredCookie())
        return response
    }

    @Sendable func resetForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        var view = PasswordResetView(email: "", error: nil, notice: nil)
        view.code = String((request.uri.queryParameters.get("code") ?? "").prefix(64))
        return try renderer.page(.passwordReset, view, context)
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let email = String((form["email"] ?? "").prefix(254))
        let now = options.clock.now
        let subject = SignInThrottle.Subject(purpose: "password-reset", address: clientAddress(request, context), account: email)
        if let paused = try await pausedPage(context, PasswordResetView.self, email: email, subject: subject, at: now) { return paused }
        do {
            _ = try await database.completePasswordReset(
                email: email, code: form["code"] ?? "", new: form.raw["password"] ?? "", confirmation: form.raw["password_confirm"] ?? "", at: now
            )
        } catch let error as StaffAccountError {
            if error == .invalidResetCode { try await database.recordSignInFailure(throttle, subject, at: now) }
            var view = PasswordResetView(email: email, error: error.localizedSentence, notice: nil)
            view.code = String((form["code"] ?? "").prefix(64))
            return try renderer.page(.passwordReset, view, context, status: error == .invalidResetCode ? .unauthorized : .unprocessableContent)
        }
        try await database.recordSignInSuccess(throttle, subject)
        return .redirect(to: "/login?saved=password")
    }

    private func clientAddress(_ request: Request, _ context: AppRequestContext) -> String {
        ClientAddress.of(request, peer: context.remoteAddress, trustedProxy: options.trustedProxy)
    }

    /// The form again with 429 and `Retry-After` while the throttle pauses this subject.
    private func pausedPage<View: CredentialsPage>(_ context: AppRequestContext, _ view: View.Type, email: String, subject: SignInThrottle.Subject, at now: Date) async throws -> Response? {
        try await ThrottledForm.answer(database, throttle, subjects: [subject], at: now, messageKey: "signIn.throttled") { message, status in
            try page(context, view, email: email, error: message, status: status)
        }
    }

    private func page<View: CredentialsPage>(_ context: AppRequestContext, _ view: View.Type, email: String, error: String?, notice: String? = nil, status: HTTPResponse.Status) throws -> Response {
        try renderer.page(View.template, View(email: email, error: error, notice: notice), context, status: status)
    }
}
