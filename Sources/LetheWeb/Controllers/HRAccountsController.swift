import Foundation
import Hummingbird
import LetheCore

/// `/hr` and `/hr/staff/...`: the vacancies at a glance, and staff accounts.
struct HRAccountsController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let options: AppOptions
    /// Sends the reset link by e-mail; nil when mail is off (HR then hands over a code).
    let mailer: Mailer?

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: home)
        group.post("staff", use: addStaff)
        group.post("staff/:id/disable", use: disableStaff)
        group.post("staff/:id/enable", use: enableStaff)
        group.post("staff/:id/reset-password", use: resetPassword)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await homePage(context, notice: SavedMessage.of(request))
    }

    private func homePage(_ context: AppRequestContext, form: [String: String] = [:], errors: [String: String] = [:], notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = HRHomeView(
            vacancies: try await database.allVacancies(), staff: try await database.staffUsers(), user: try context.requireUser(),
            form: form, errors: errors, notice: notice, now: options.clock.now
        )
        return try renderer.page(.hrHome, view, context, status: status)
    }

    @Sendable func addStaff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let kept = ["email": form["email"] ?? "", "name": form["name"] ?? "", "role": form["role"] ?? "staff"]
        guard let role = form["role"].flatMap(StaffUser.Role.init(rawValue:)) else {
            return try await homePage(context, form: kept, errors: ["role": T("hrHome.chooseRole")], status: .unprocessableContent)
        }
        do {
            try await database.createStaffUser(email: kept["email"]!, name: kept["name"]!, role: role, password: form.raw["password"] ?? "", at: options.clock.now, actor: .staff(user))
        } catch let error as StaffAccountError {
            let field = switch error {
            case .invalidEmail, .emailTaken: "email"
            case .emptyName: "name"
            default: "password"
            }
            return try await homePage(context, form: kept, errors: [field: error.localizedSentence], status: .unprocessableContent)
        }
        return SavedMessage.staff.redirect(to: "/hr")
    }

    @Sendable func disableStaff(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setDisabled(true, request, context)
    }

    @Sendable func enableStaff(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setDisabled(false, request, context)
    }

    private func setDisabled(_ disabled: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw NotFound("staff account") }
        guard id != user.id else {
            return try await homePage(context, errors: ["account": T("hrHome.notYourself")], status: .unprocessableContent)
        }
        try await database.setStaffDisabled(id: id, disabled: disabled, by: user, at: options.clock.now)
        return (disabled ? SavedMessage.disabled : .enabled).redirect(to: "/hr")
    }

    /// `POST /hr/staff/<id>/reset-password`: the account's sessions end, its password stops
    /// working, and the page shows HR, once, the one-time code to pass on in person.
    @Sendable func resetPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw NotFound("staff account") }
        guard id != user.id else {
            return try await homePage(context, errors: ["account": T("hrHome.ownPassword")], status: .unprocessableContent)
        }
        var byMail: (@Sendable (StaffUser, PasswordResetCode) -> OutgoingMail?)?
        if let mailer { byMail = { mailer.passwordReset($0, code: $1) } }
        let code = try await database.resetPassword(staffUserId: id, actor: .staff(user), mail: byMail, at: options.clock.now)
        let name = try await database.staffUsers().first { $0.id == id }?.name ?? "the account"
        guard let code else {
            let minutes = Int(PasswordResetCode.linkLifetime / 60)
            return try await homePage(context, notice: T("hrHome.resetByMail", ["name": name, "minutes": String(minutes)]))
        }
        let notice = T("hrHome.resetByCode", ["name": name, "code": code.text])
        return try await homePage(context, notice: notice)
    }
}
