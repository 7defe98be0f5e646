import Foundation
import Hummingbird
import LetheCore

/// HR's pages under `/hr`: staff accounts, vacancies and their panels. HR is not a panel member
/// by role: these pages never show applications.
struct HRController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let sealedText: SealedText
    let options: AppOptions
    let staffPages: StaffController
    let purger: Purger

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: home)
        group.post("staff", use: addStaff)
        group.post("staff/:id/disable", use: disableStaff)
        group.post("staff/:id/enable", use: enableStaff)
        group.post("staff/:id/reset-password", use: resetPassword)
        group.get("vacancies/new", use: newVacancy)
        group.post("vacancies", use: createVacancy)
        group.get("vacancies/:id", use: showVacancy)
        group.post("vacancies/:id", use: updateVacancy)
        group.post("vacancies/:id/close", use: closeVacancy)
        group.post("vacancies/:id/reopen", use: reopenVacancy)
        group.post("vacancies/:id/panel", use: addPanelMember)
        group.post("vacancies/:id/panel/remove", use: removePanelMember)
        group.post("vacancies/:id/destinations", use: addDestination)
        group.post("vacancies/:id/destinations/:dest/remove", use: removeDestination)
        group.get("notices", use: notices)
        group.post("notices", use: publishNotice)
        group.get("notices/:id", use: showNotice)
        group.get("retention", use: retention)
        group.post("retention/search", use: searchByEmail)
        group.get("applications/:id", use: showApplication)
        group.post("applications/:id/consent", use: recordConsent)
        group.post("applications/:id/erase", use: erase)
    }

    // MARK: Retention

    @Sendable func retention(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let now = options.clock.now
        let dashboard = try await database.retentionDashboard(now: now)
        // The address travels sealed, never as itself: it stays out of URLs, logs and history.
        let email = sealedText.open(request.uri.queryParameters.get("lookup"), at: now) ?? ""
        let found = email.isEmpty ? [] : try await database.applications(email: email)
        let notice: String? = request.uri.queryParameters.get("saved") == "erased" ? "The application was erased, with its documents." : nil
        let view = HRRetentionView(dashboard: dashboard, now: now, chrome: staffPages.chrome(request, user), email: email, found: found, notice: notice)
        return renderer.page("hr-retention", view)
    }

    /// `POST /hr/retention/search` (`email`): the dashboard again, with the lookup sealed into its URL.
    @Sendable func searchByEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let email = String((form["email"] ?? "").prefix(254))
        return .redirect(to: email.isEmpty ? "/hr/retention" : "/hr/retention?lookup=" + sealedText.seal(email, at: options.clock.now))
    }

    @Sendable func showApplication(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let notice: String? = request.uri.queryParameters.get("saved") == "consent" ? "The consent was recorded." : nil
        return try await applicationPage(request, user, context, notice: notice)
    }

    private func applicationPage(_ request: Request, _ user: StaffUser, _ context: AppRequestContext, form: [String: String] = [:], error: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self), let record = try await database.applicationRecord(id: id) else {
            throw HTTPError(.notFound, message: "There is no such application. It may have been erased.")
        }
        try await database.audit("application.retention_viewed", actor: .staff(user.id!), subjectType: "application", subjectId: id, at: options.clock.now)
        let view = HRApplicationView(record: record, chrome: staffPages.chrome(request, user), policy: options.retentionPolicy, form: form, error: error, notice: notice)
        return renderer.page("hr-application", view, status: status)
    }

    @Sendable func recordConsent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw HTTPError(.notFound) }
        let kept = ["until": form["until"] ?? "", "evidence": form["evidence"] ?? ""]
        guard let lastDay = form["until"], DayFormat.date(from: lastDay) != nil else {
            return try await applicationPage(request, user, context, form: kept, error: "Enter the end of the consent as a date, e.g. 2027-06-30.", status: .unprocessableContent)
        }
        guard (form["evidence"]?.count ?? 0) <= 1_000 else {
            return try await applicationPage(request, user, context, form: kept, error: "The evidence is too long: at most 1,000 characters.", status: .unprocessableContent)
        }
        do {
            try await database.recordConsent(applicationId: id, lastDay: lastDay, evidence: form["evidence"] ?? "", by: user, policy: options.retentionPolicy, at: options.clock.now)
        } catch let error as ConsentError {
            return try await applicationPage(request, user, context, form: kept, error: error.description, status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/hr/applications/\(id)?saved=consent"])
    }

    @Sendable func erase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw HTTPError(.notFound) }
        guard form["confirm"] == "yes" else {
            return try await applicationPage(request, user, context, error: "Tick the box to confirm the erasure.", status: .unprocessableContent)
        }
        guard try await purger.erase(applicationId: id, reason: .erasure, actor: .staff(user.id!), now: options.clock.now) else {
            throw HTTPError(.notFound, message: "There is no such application. It may have been erased already.")
        }
        return .redirect(to: "/hr/retention?saved=erased")
    }

    // MARK: Staff accounts

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? = switch request.uri.queryParameters.get("saved") {
        case "staff": "The account was created."
        case "disabled": "The account was disabled and signed out everywhere."
        case "enabled": "The account was enabled."
        default: nil
        }
        return try await homePage(request, context.requireUser(), notice: notice)
    }

    private func homePage(_ request: Request, _ user: StaffUser, form: [String: String] = [:], errors: [String: String] = [:], notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let chrome = staffPages.chrome(request, user)
        let view = HRHomeView(
            signedIn: [chrome], csrfToken: chrome.csrfToken,
            vacancies: try await database.allVacancies().map { .init(id: $0.id!, title: $0.title, status: $0.status.rawValue, closesOn: $0.closesOn, international: $0.international) },
            staff: try await database.staffUsers().map { .init(id: $0.id!, name: $0.name, email: $0.email, role: $0.role.rawValue, disabled: $0.disabledAt != nil, isSelf: $0.id == user.id) },
            form: form, errors: errors, hasErrors: !errors.isEmpty, notice: notice ?? "", hasNotice: notice != nil, roleHR: form["role"] == "hr"
        )
        return renderer.page("hr-home", view, status: status)
    }

    @Sendable func addStaff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let kept = ["email": form["email"] ?? "", "name": form["name"] ?? "", "role": form["role"] ?? "staff"]
        guard let role = form["role"].flatMap(StaffUser.Role.init(rawValue:)) else {
            return try await homePage(request, user, form: kept, errors: ["role": "Choose HR or staff."], status: .unprocessableContent)
        }
        do {
            try await database.createStaffUser(email: kept["email"]!, name: kept["name"]!, role: role, password: form.values["password"] ?? "", at: options.clock.now, actor: .staff(user.id!))
        } catch let error as StaffAccountError {
            let field = switch error {
            case .invalidEmail, .emailTaken: "email"
            case .emptyName: "name"
            default: "password"
            }
            return try await homePage(request, user, form: kept, errors: [field: error.sentence], status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/hr?saved=staff"])
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
        guard let id = context.parameters.get("id", as: Int64.self) else { throw HTTPError(.notFound) }
        guard id != user.id else {
            return try await homePage(request, user, errors: ["account": "You cannot disable your own account."], status: .unprocessableContent)
        }
        try await database.setStaffDisabled(id: id, disabled: disabled, by: user, at: options.clock.now)
        return Response(status: .seeOther, headers: [.location: "/hr?saved=\(disabled ? "disabled" : "enabled")"])
    }

    /// `POST /hr/staff/<id>/reset-password`: the account's sessions end, its password stops
    /// working, and the page shows HR, once, the one-time code to pass on in person.
    @Sendable func resetPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw NotFound("staff account") }
        guard id != user.id else {
            return try await homePage(request, user, errors: ["account": "Change your own password on the page \"Change password\" instead."], status: .unprocessableContent)
        }
        let code = try await database.resetPassword(staffUserId: id, actor: .staff(user.id!), at: options.clock.now)
        let account = try await database.staffUsers().first { $0.id == id }
        let notice = "The password of \(account?.name ?? "the account") was reset and their sessions ended. Give them this one-time code in person: \(code.text). It is valid for 24 hours, at /login/reset; it is shown only now."
        return try await homePage(request, user, notice: notice)
    }

    // MARK: Vacancies

    @Sendable func newVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return renderer.page("hr-vacancy", HRVacancyView(vacancy: nil, form: VacancyForm(), members: [], chrome: staffPages.chrome(request, user)))
    }

    @Sendable func createVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = VacancyForm(values: try await csrf.verifiedForm(request, context).values)
        switch form.validate(today: DayFormat.string(from: options.clock.now)) {
        case .failure(let errors):
            return renderer.page("hr-vacancy", HRVacancyView(vacancy: nil, form: form, members: [], chrome: staffPages.chrome(request, user), errors: errors), status: .unprocessableContent)
        case .success(let valid):
            let vacancy = try await database.createVacancy(valid, by: user, at: options.clock.now)
            return Response(status: .seeOther, headers: [.location: "/hr/vacancies/\(vacancy.id!)?saved=created"])
        }
    }

    @Sendable func showVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let found = try await managedVacancy(context, user)
        let notice: String? = switch request.uri.queryParameters.get("saved") {
        case "created": "The vacancy was created. Add the hiring panel below."
        case "updated": "The vacancy was saved."
        case "closed": "The vacancy was closed: it no longer takes applications."
        case "reopened": "The vacancy was reopened."
        case "panel": "The panel was changed."
        case "destination": "The transfer destinations were changed."
        default: nil
        }
        return try await vacancyPage(request, user, found, notice: notice)
    }

    private func vacancyPage(_ request: Request, _ user: StaffUser, _ found: (vacancy: Vacancy, destinations: [TransferDestination]), form: VacancyForm? = nil, errors: FieldErrors = .init(), panelError: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = HRVacancyView(
            vacancy: found.vacancy, form: form ?? VacancyForm(vacancy: found.vacancy, destination: nil),
            members: try await database.panel(vacancyId: found.vacancy.id!), chrome: staffPages.chrome(request, user),
            destinations: found.destinations, errors: errors, panelError: panelError, notice: notice
        )
        return renderer.page("hr-vacancy", view, status: status)
    }

    @Sendable func updateVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = VacancyForm(values: try await csrf.verifiedForm(request, context).values)
        let found = try await managedVacancy(context, user)
        switch form.validate(today: nil, withDestination: false) {
        case .failure(let errors):
            return try await vacancyPage(request, user, found, form: form, errors: errors, status: .unprocessableContent)
        case .success(let valid):
            try await database.updateVacancy(id: found.vacancy.id!, with: valid, by: user, at: options.clock.now)
            return Response(status: .seeOther, headers: [.location: "/hr/vacancies/\(found.vacancy.id!)?saved=updated"])
        }
    }

    @Sendable func closeVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setStatus(.closed, request, context)
    }

    @Sendable func reopenVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setStatus(.open, request, context)
    }

    private func setStatus(_ status: Vacancy.Status, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        let found = try await managedVacancy(context, user)
        try await database.setVacancyStatus(id: found.vacancy.id!, to: status, by: user, at: options.clock.now)
        return Response(status: .seeOther, headers: [.location: "/hr/vacancies/\(found.vacancy.id!)?saved=\(status == .closed ? "closed" : "reopened")"])
    }

    @Sendable func addPanelMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changePanel(adding: true, request, context)
    }

    @Sendable func removePanelMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changePanel(adding: false, request, context)
    }

    private func changePanel(adding: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let found = try await managedVacancy(context, user)
        let vacancyId = found.vacancy.id!
        guard let email = form["email"], let member = try await database.staffUser(email: email) else {
            return try await vacancyPage(request, user, found, panelError: "There is no staff account with that e-mail address.", status: .unprocessableContent)
        }
        if adding {
            guard member.disabledAt == nil else {
                return try await vacancyPage(request, user, found, panelError: "That account is disabled; enable it first.", status: .unprocessableContent)
            }
            try await database.addPanelMember(vacancyId: vacancyId, staffUserId: member.id!, at: options.clock.now, actor: .staff(user.id!))
        } else {
            try await database.removePanelMember(vacancyId: vacancyId, staffUserId: member.id!, by: user, at: options.clock.now)
        }
        return Response(status: .seeOther, headers: [.location: "/hr/vacancies/\(vacancyId)?saved=panel"])
    }

    @Sendable func addDestination(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let found = try await managedVacancy(context, user)
        var values = form.values
        values["international"] = "yes"
        values["title"] = found.vacancy.title
        values["description"] = found.vacancy.description
        values["location"] = found.vacancy.location
        values["closes_on"] = found.vacancy.closesOn
        switch VacancyForm(values: values).validate(today: nil) {
        case .failure(let errors):
            let message = ["transfer_country", "transfer_recipient", "transfer_safeguard"].compactMap { errors[$0] }.joined(separator: " ")
            return try await vacancyPage(request, user, found, panelError: message, status: .unprocessableContent)
        case .success(let valid):
            let destination = valid.destination!
            try await database.addDestination(vacancyId: found.vacancy.id!, country: destination.country, recipient: destination.recipient, safeguard: destination.safeguard, by: user, at: options.clock.now)
            return Response(status: .seeOther, headers: [.location: "/hr/vacancies/\(found.vacancy.id!)?saved=destination"])
        }
    }

    @Sendable func removeDestination(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        let found = try await managedVacancy(context, user)
        guard let destinationId = context.parameters.get("dest", as: Int64.self) else { throw NotFound("transfer destination") }
        try await database.removeDestination(vacancyId: found.vacancy.id!, destinationId: destinationId, by: user, at: options.clock.now)
        return Response(status: .seeOther, headers: [.location: "/hr/vacancies/\(found.vacancy.id!)?saved=destination"])
    }

    // MARK: Notices

    @Sendable func notices(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await noticesPage(request, try context.requireUser())
    }

    private func noticesPage(_ request: Request, _ user: StaffUser, kind: String = "", body: String = "", error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let chrome = staffPages.chrome(request, user)
        let view = HRNoticesView(
            signedIn: [chrome], csrfToken: chrome.csrfToken,
            notices: try await database.allNotices().map { .init(id: $0.id!, kind: Formatting.noticeLabel($0.kind), version: $0.version, publishedAt: Formatting.dateTime($0.publishedAt), sha256: String($0.sha256.prefix(12))) },
            kinds: Notice.Kind.allCases.map { .init(value: $0.rawValue, label: Formatting.noticeLabel($0), selected: $0.rawValue == kind) },
            body: body, error: error ?? "", hasError: error != nil
        )
        return renderer.page("hr-notices", view, status: status)
    }

    @Sendable func publishNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let body = form["body"] ?? ""
        guard let kind = form["kind"].flatMap(Notice.Kind.init(rawValue:)), !body.isEmpty, body.count <= 20_000 else {
            return try await noticesPage(request, user, kind: form["kind"] ?? "", body: body, error: "Choose which notice and write its text (at most 20,000 characters).", status: .unprocessableContent)
        }
        let notice = try await database.publishNotice(kind: kind, body: body, by: user, at: options.clock.now)
        return Response(status: .seeOther, headers: [.location: "/hr/notices/\(notice.id!)"])
    }

    @Sendable func showNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let id = context.parameters.get("id", as: Int64.self), let notice = try await database.notice(id: id) else { throw HTTPError(.notFound) }
        let view = HRNoticeView(
            title: "\(Formatting.noticeLabel(notice.kind)), version \(notice.version)", signedIn: [staffPages.chrome(request, user)],
            paragraphs: Paragraph.split(notice.body), publishedAt: Formatting.dateTime(notice.publishedAt), sha256: notice.sha256
        )
        return renderer.page("hr-notice", view)
    }

    /// The vacancy of the path, if the policy lets the user manage it; otherwise 404, audited.
    private func managedVacancy(_ context: AppRequestContext, _ user: StaffUser) async throws -> (vacancy: Vacancy, destinations: [TransferDestination]) {
        let id = context.parameters.get("id", as: Int64.self)
        guard let id, let found = try await database.vacancy(id: id), try await database.authorize(user, .managePanel, vacancyId: id) else {
            try await database.audit("access.denied", actor: .staff(user.id!), subjectType: "vacancy", subjectId: id, detail: "action=managePanel", at: options.clock.now)
            throw HTTPError(.notFound)
        }
        return found
    }
}
