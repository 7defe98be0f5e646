import Foundation
import Hummingbird
import LetheCore

/// `/staff/password`: a signed-in user changes their own password.
struct AccountController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let options: AppOptions
    let staffPages: StaffController

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("password", use: form)
        group.post("password", use: change)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let notice: String? = request.uri.queryParameters.get("saved") == "1" ? "Your password was changed. Your other sessions were signed out." : nil
        return renderer.page("password-change", PasswordChangeView(chrome: staffPages.chrome(request, user), error: nil, notice: notice))
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        do {
            try await database.changePassword(
                of: user, current: form.values["current_password"] ?? "", new: form.values["password"] ?? "",
                confirmation: form.values["password_confirm"] ?? "",
                keepSessionId: request.cookies[StaffSessionMiddleware.cookieName]?.value ?? "", at: options.clock.now
            )
        } catch let error as StaffAccountError {
            let view = PasswordChangeView(chrome: staffPages.chrome(request, user), error: error.sentence, notice: nil)
            return renderer.page("password-change", view, status: .unprocessableContent)
        }
        return .redirect(to: "/staff/password?saved=1")
    }
}
