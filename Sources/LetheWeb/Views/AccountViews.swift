import LetheCore

// View models of the sign-in and password pages.

/// A page that asks for an e-mail address and a secret: sign-in and password reset.
protocol CredentialsPage {
    static var template: Template { get }
    init(email: String, error: String?, notice: String?)
}

/// `/login`.
struct LoginView: CredentialsPage {
    static let template = Template.login
    let email: String
    let error: String?
    let notice: String?
}

/// `/login/reset`: a one-time code from HR sets a new password.
struct PasswordResetView: CredentialsPage {
    static let template = Template.passwordReset
    let email: String
    let error: String?
    let notice: String?
    let minimumLength = StaffPassword.minimumLength
    let passwordRule = T("password.rule", ["n": String(StaffPassword.minimumLength)])
    /// The code of an e-mailed link, filled in for its owner.
    var code = ""

    init(email: String, error: String?, notice: String?) {
        self.email = email
        self.error = error
        self.notice = notice
    }
}

/// `/staff/password`: change one's own password.
struct PasswordChangeView {
    let error: String?
    let notice: String?
    let minimumLength = StaffPassword.minimumLength
    let passwordRule = T("password.rule", ["n": String(StaffPassword.minimumLength)])
}
