import Foundation
import Hummingbird
import LetheCore

/// `/hr/vacancies/...`: creating and editing vacancies, closing them, their panels and their
/// third-country partners.
struct HRVacanciesController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let gate: AccessGate
    let options: AppOptions
    /// The public vacancy page, for the preview of a draft.
    let vacancyPage: VacancyPage

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("vacancies/new", use: newVacancy)
        group.post("vacancies", use: createVacancy)
        group.get("vacancies/:id", use: showVacancy)
        group.post("vacancies/:id", use: updateVacancy)
        group.get("vacancies/:id/preview", use: previewVacancy)
        group.post("vacancies/:id/publish", use: publishVacancy)
        group.post("vacancies/:id/archive", use: archiveVacancy)
        group.post("vacancies/:id/close", use: closeVacancy)
        group.post("vacancies/:id/reopen", use: reopenVacancy)
        group.post("vacancies/:id/panel", use: addPanelMember)
        group.post("vacancies/:id/panel/remove", use: removePanelMember)
        group.post("vacancies/:id/destinations", use: addDestination)
        group.post("vacancies/:id/destinations/:dest/remove", use: removeDestination)
    }

    @Sendable func newVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.page(.hrVacancy, HRVacancyView(vacancy: nil, form: VacancyForm(), members: []), context)
    }

    @Sendable func createVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = VacancyForm(try await csrf.verifiedForm(request, context))
        switch form.validate(today: options.retentionPolicy.day(of: options.clock.now)) {
        case .failure(let errors):
            return try renderer.page(.hrVacancy, HRVacancyView(vacancy: nil, form: form, members: [], errors: errors), context, status: .unprocessableContent)
        case .success(let valid):
            let vacancy = try await database.createVacancy(valid, by: user, at: options.clock.now)
            return SavedMessage.created.redirect(to: "/hr/vacancies/\(vacancy.id!)")
        }
    }

    @Sendable func showVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let found = try await gate.vacancy(context, .managePanel)
        return try await vacancyPage(context, found, notice: try await panelChange(request) ?? SavedMessage.of(request))
    }

    /// "Ada Andersen was added to the panel." for `?saved=panel-added&member=<staff id>` (or
    /// removed): who changed, said by name on the page, never in the URL.
    private func panelChange(_ request: Request) async throws -> String? {
        let saved = request.uri.queryParameters.get("saved")
        guard saved == "panel-added" || saved == "panel-removed",
              let id = request.uri.queryParameters.get("member").flatMap({ Int64($0) }),
              let member = try await database.staffUser(id: id)
        else { return nil }
        return T(saved == "panel-added" ? "saved.panelAdded" : "saved.panelRemoved", ["name": member.name])
    }

    private func vacancyPage(_ context: AppRequestContext, _ found: (id: Int64, vacancy: Vacancy, destinations: [TransferDestination]), form: VacancyForm? = nil, errors: FieldErrors = .init(), panelError: String? = nil, notice: String? = nil, publishWarning: Bool = false, status: HTTPResponse.Status = .ok) async throws -> Response {
        let stored = form == nil ? VacancyForm(vacancy: found.vacancy, questions: try await database.screeningQuestions(vacancyId: found.id)) : nil
        var view = HRVacancyView(
            vacancy: found.vacancy, form: form ?? stored!,
            members: try await database.panel(vacancyId: found.id),
            destinations: found.destinations, errors: errors, panelError: panelError, notice: notice, now: options.clock.now
        )
        view.publishWarning = publishWarning
        return try renderer.page(.hrVacancy, view, context, status: status)
    }

    /// `GET /hr/vacancies/<id>/preview`: a draft as applicants will see it, without a way to
    /// apply; a vacancy already public is its public page.
    @Sendable func previewVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let found = try await gate.vacancy(context, .managePanel)
        guard found.vacancy.stage(at: options.clock.now) == .draft else { return .redirect(to: "/jobs/\(found.id)") }
        return try await vacancyPage.render((found.vacancy, found.destinations), request, context, preview: true)
    }

    /// `POST /hr/vacancies/<id>/publish`: a vacancy without a panel is published only with
    /// `confirm=yes`, after a warning that no one could read its applications.
    @Sendable func publishVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let found = try await gate.vacancy(context, .managePanel)
        if form["confirm"] != "yes", try await database.panel(vacancyId: found.id).isEmpty {
            return try await vacancyPage(context, found, publishWarning: true, status: .conflict)
        }
        try await database.publishVacancy(id: found.id, by: user, at: options.clock.now)
        return SavedMessage.published.redirect(to: "/hr/vacancies/\(found.id)")
    }

    /// `POST /hr/vacancies/<id>/archive`: only a vacancy that takes no applications.
    @Sendable func archiveVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        let found = try await gate.vacancy(context, .managePanel)
        guard found.vacancy.stage(at: options.clock.now) != .published else {
            return try await vacancyPage(context, found, panelError: T("hrVacancy.archiveOpen"), status: .conflict)
        }
        try await database.archiveVacancy(id: found.id, by: user, at: options.clock.now)
        return SavedMessage.archived.redirect(to: "/hr/vacancies/\(found.id)")
    }

    @Sendable func updateVacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = VacancyForm(try await csrf.verifiedForm(request, context))
        let found = try await gate.vacancy(context, .managePanel)
        switch form.validate(today: nil, withDestination: false) {
        case .failure(let errors):
            return try await vacancyPage(context, found, form: form, errors: errors, status: .unprocessableContent)
        case .success(let valid):
            do {
                try await database.updateVacancy(id: found.id, with: valid, by: user, at: options.clock.now)
            } catch VacancyError.questionsFixed {
                var errors = FieldErrors()
                errors["question_1_text"] = "vacancyForm.error.questionsFixed"
                return try await vacancyPage(context, found, form: form, errors: errors, status: .unprocessableContent)
            }
            return SavedMessage.updated.redirect(to: "/hr/vacancies/\(found.id)")
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
        let found = try await gate.vacancy(context, .managePanel)
        try await database.setVacancyStatus(id: found.id, to: status, by: user, at: options.clock.now)
        return (status == .closed ? SavedMessage.closed : .reopened).redirect(to: "/hr/vacancies/\(found.id)")
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
        let found = try await gate.vacancy(context, .managePanel)
        let vacancyId = found.id
        guard let email = form["email"], let member = try await database.staffUser(email: email) else {
            return try await vacancyPage(context, found, panelError: T("hrVacancy.noAccount"), status: .unprocessableContent)
        }
        if adding {
            guard member.disabledAt == nil else {
                return try await vacancyPage(context, found, panelError: T("hrVacancy.accountDisabled"), status: .unprocessableContent)
            }
            try await database.addPanelMember(vacancyId: vacancyId, staffUserId: member.id!, at: options.clock.now, actor: .staff(user))
        } else {
            try await database.removePanelMember(vacancyId: vacancyId, staffUserId: member.id!, by: user, at: options.clock.now)
        }
        return .redirect(to: "/hr/vacancies/\(vacancyId)?saved=\(adding ? "panel-added" : "panel-removed")&member=\(member.id!)")
    }

    @Sendable func addDestination(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let found = try await gate.vacancy(context, .managePanel)
        switch DestinationForm(form).validate() {
        case .failure(let errors):
            let message = ["transfer_country", "transfer_recipient", "transfer_safeguard"].compactMap { errors.text($0) }.joined(separator: " ")
            return try await vacancyPage(context, found, panelError: message, status: .unprocessableContent)
        case .success(let partner):
            try await database.addDestination(vacancyId: found.id, country: partner.country, recipient: partner.recipient, safeguard: partner.safeguard, by: user, at: options.clock.now)
            return SavedMessage.destination.redirect(to: "/hr/vacancies/\(found.id)")
        }
    }

    @Sendable func removeDestination(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        let found = try await gate.vacancy(context, .managePanel)
        guard let destinationId = context.parameters.get("dest", as: Int64.self) else { throw NotFound("transfer destination") }
        try await database.removeDestination(vacancyId: found.id, destinationId: destinationId, by: user, at: options.clock.now)
        return SavedMessage.destination.redirect(to: "/hr/vacancies/\(found.id)")
    }
}
