import Foundation
import Hummingbird
import LetheCore

/// `/staff/password`: a signed-in user changes their own password.
struct AccountController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let options: AppOptions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("password", use: form)
        group.post("password", use: change)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.page(.passwordChange, PasswordChangeView(error: nil, notice: SavedMessage.of(request)), context)
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        do {
            try await database.changePassword(
                of: user, current: form.raw["current_password"] ?? "", new: form.raw["password"] ?? "",
                confirmation: form.raw["password_confirm"] ?? "",
                keepSessionId: request.cookies[StaffSessionMiddleware.cookieName]?.value ?? "", at: options.clock.now
            )
        } catch let error as StaffAccountError {
            return try renderer.page(.passwordChange, PasswordChangeView(error: error.localizedSentence, notice: nil), context, status: .unprocessableContent)
        }
        return SavedMessage.password.redirect(to: "/staff/password")
    }
}
