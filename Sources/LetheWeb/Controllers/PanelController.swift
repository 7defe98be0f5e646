import Foundation
import Hummingbird
import LetheCore

/// The hiring panel's pages under `/staff`. Every decision is asked of ``AccessPolicy`` through
/// ``AccessGate``: what the user may not see answers 404, is audited, and reveals nothing.
struct PanelController {
    let database: AppDatabase
    let store: DocumentStore
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let sealedText: SealedText
    let gate: AccessGate
    let options: AppOptions
    /// Writes the e-mail that carries a message; nil when mail is off.
    let mailer: Mailer?

    static let pageSize = 50
    /// Longest name search accepted.
    static let searchLimit = 200

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: home)
        group.get("vacancies/:id", use: vacancy)
        group.post("vacancies/:id/search", use: search)
        group.post("vacancies/:id/status", use: changeStatuses)
        group.get("applications/:id", use: application)
        group.get("applications/:id/documents/:doc", use: download)
        group.get("applications/:id/documents/:doc/view", use: view)
        group.post("applications/:id/status", use: changeStatus)
        group.post("applications/:id/assessment", use: assess)
        group.post("applications/:id/references/:ref/checks", use: recordCheck)
        group.post("applications/:id/transfers", use: recordTransfer)
        group.post("applications/:id/messages", use: sendMessage)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        return try renderer.page(.staffHome, StaffHomeView(try await database.panelVacancies(for: user.id!), now: options.clock.now), context)
    }

    @Sendable func vacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await listPage(request, context, notice: SavedMessage.of(request))
    }

    /// The list as the request's query asks for it (`q` sealed, `status`, `sort`, `page`); the
    /// bulk form posts to the same query, so that a refusal shows the same list again.
    private func listPage(
        _ request: Request, _ context: AppRequestContext, notice: String? = nil, bulkError: String? = nil,
        selected: Set<Int64> = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireUser()
        let (vacancyId, found, _) = try await gate.vacancy(context, .listApplications)
        // The search text travels sealed, never as itself: names stay out of URLs and logs.
        let sealedQuery = request.uri.queryParameters.get("q")
        let query = sealedText.open(sealedQuery, at: options.clock.now) ?? ""
        let sort = request.uri.queryParameters.get("sort").flatMap(ApplicationSort.init(rawValue:)) ?? .newest
        let filter = request.uri.queryParameters.get("status").flatMap(JobApplication.Status.init(rawValue:))
        let page = request.queryNumber("page", clampedTo: 1...Int(Int32.max)) ?? 1
        let result = try await database.applications(vacancyId: vacancyId, search: query, status: filter, viewer: user.id!, sort: sort, page: page, pageSize: Self.pageSize, poolAt: options.clock.now)
        try await database.audit("applications.listed", actor: .staff(user), subjectType: "vacancy", subjectId: vacancyId, at: options.clock.now)

        let base = "/staff/vacancies/\(vacancyId)"
        func parameters(sort: ApplicationSort, page: Int, filter: JobApplication.Status?) -> String {
            var items = ["sort=\(sort.rawValue)", "page=\(page)"]
            if let filter { items.insert("status=\(filter.rawValue)", at: 0) }
            if !query.isEmpty, let sealedQuery { items.insert("q=\(sealedQuery)", at: 0) }
            return "?" + items.joined(separator: "&")
        }
        func link(sort: ApplicationSort, page: Int, filter: JobApplication.Status? = filter) -> String {
            base + parameters(sort: sort, page: page, filter: filter)
        }
        let first = result.total == 0 ? 0 : (result.page - 1) * Self.pageSize + 1
        let summary = result.total == 0
            ? (query.isEmpty ? T("staffVacancy.noApplications") : T("staffVacancy.noMatch", ["query": query]))
            : T(query.isEmpty ? "staffVacancy.range" : "staffVacancy.rangeMatching", [
                "first": String(first), "last": String(first + result.rows.count - 1), "total": String(result.total), "query": query,
            ])
        let view = StaffVacancyView(
            title: found.title, vacancyId: vacancyId, query: query, searchLimit: Self.searchLimit,
            sorts: [ApplicationSort.newest, .oldest, .name, .status].map {
                LinkView(label: T("sort.\($0.rawValue)"), href: link(sort: $0, page: 1), current: $0 == sort)
            },
            filters: [LinkView(label: T("staffVacancy.all"), href: link(sort: sort, page: 1, filter: nil), current: filter == nil)]
                + JobApplication.Status.allCases.map { LinkView(label: Formatting.status($0), href: link(sort: sort, page: 1, filter: $0), current: $0 == filter) },
            rows: result.rows.map { StaffVacancyView.Row($0, selected: selected.contains($0.id)) },
            statusOptions: JobApplication.Status.allCases.map { OptionView(value: $0.rawValue, label: Formatting.status($0), selected: false) },
            notice: notice, bulkError: bulkError,
            bulkAction: base + "/status" + parameters(sort: sort, page: result.page, filter: filter),
            summary: summary,
            pages: Self.pageWindow(current: result.page, count: result.pageCount).map { LinkView(label: "\($0)", href: link(sort: sort, page: $0), current: $0 == result.page) }
        )
        return try renderer.page(.staffVacancy, view, context, status: status)
    }

    /// `POST /staff/vacancies/<id>/status` (`status`, `select_<application id>`): moves the
    /// selected applications to one status, all or none, and shows the same list again.
    @Sendable func changeStatuses(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let vacancyId = try await gate.vacancy(context, .changeStatus).id
        let selected = Set(form.raw.compactMap { key, value in key.hasPrefix("select_") && value == "yes" ? Int64(key.dropFirst("select_".count)) : nil })
        guard !selected.isEmpty else {
            return try await listPage(request, context, bulkError: T("staffVacancy.noneSelected"), status: .unprocessableContent)
        }
        guard let status = form["status"].flatMap(JobApplication.Status.init(rawValue:)) else {
            return try await listPage(request, context, bulkError: T("staffApp.chooseStatus"), selected: selected, status: .unprocessableContent)
        }
        // Rejecting several at once may send each HR's rejection message.
        var message: (subject: String, body: String)?
        var compose: (@Sendable (LinkedApplication, SecretToken) -> OutgoingMail?)?
        if status == .rejected, form["send_rejection"] == "yes" {
            message = try await database.messageTemplates()[.rejection]
            if let mailer, let message {
                compose = { linked, token in
                    mailer.message(linked, token: token, subject: MessageTemplate.fill(message.subject, name: linked.name, vacancy: linked.vacancyTitle),
                                   body: MessageTemplate.fill(message.body, name: linked.name, vacancy: linked.vacancyTitle))
                }
            }
        }
        try await database.changeStatus(applicationIds: selected.sorted(), inVacancy: vacancyId, to: status, by: user, at: options.clock.now, message: message, compose: compose)
        let back = "/staff/vacancies/\(vacancyId)" + (request.uri.query.map { "?" + $0 } ?? "")
        return SavedMessage.bulkStatus.redirect(to: back)
    }

    /// `POST /staff/vacancies/<id>/search` (`q`): the list again, with the search sealed into
    /// its URL; an empty search shows every application.
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let vacancyId = try await gate.vacancy(context, .listApplications).id
        let query = String((form["q"] ?? "").prefix(Self.searchLimit))
        let base = "/staff/vacancies/\(vacancyId)"
        return .redirect(to: query.isEmpty ? base : base + "?q=" + sealedText.seal(query, at: options.clock.now))
    }

    /// The page numbers the pager links to: the first, the last, and three either side of the
    /// current, which must lie in 1...count.
    static func pageWindow(current: Int, count: Int) -> [Int] {
        guard count > 1 else { return [] }
        let current = min(max(1, current), count)
        return Array(Set([1, count] + (max(1, current - 3)...min(count, current + 3)))).sorted()
    }

    /// `GET /staff/applications/<id>`; `?template=interview|rejection|offer` starts the message
    /// form from HR's template, with the applicant's name and the vacancy filled in.
    @Sendable func application(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (applicationId, facts) = try await gate.applicationFacts(context, .viewApplication)
        let template = request.uri.queryParameters.get("template").flatMap(MessageTemplate.Purpose.init(rawValue:))
        let saved = SavedMessage.placement(of: request)
        return try await applicationPage(context, applicationId: applicationId, notice: saved.top, template: template,
                                         sectionNotice: saved.sections, facts: facts)
    }

    /// `POST /staff/applications/<id>/messages` (`subject`, `body`): writes to the applicant.
    @Sendable func sendMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let applicationId = try await gate.application(context, .writeToApplicant)
        switch StaffMessageForm(form).validate() {
        case .failure(let errors):
            var composer = MessageComposer(applicationId: applicationId, mailOff: mailer == nil)
            (composer.subject, composer.body) = (form.raw["subject"] ?? "", form.raw["body"] ?? "")
            (composer.subjectError, composer.bodyError) = (errors.text("subject"), errors.text("body"))
            return try await applicationPage(context, applicationId: applicationId, formError: errors.summary, status: .unprocessableContent, composer: composer)
        case .success(let message):
            var compose: (@Sendable (LinkedApplication, SecretToken) -> OutgoingMail?)?
            if let mailer { compose = { mailer.message($0, token: $1, subject: message.subject, body: message.body) } }
            try await database.postStaffMessage(applicationId: applicationId, by: user, message, compose: compose, at: options.clock.now)
            return SavedMessage.messageSent.redirect(to: "/staff/applications/\(applicationId)")
        }
    }

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await document(context, .attachment)
    }

    /// A PDF for the frame on the application page, under the same access rule as its download.
    @Sendable func view(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await document(context, .inline)
    }

    private func document(_ context: AppRequestContext, _ disposition: DocumentResponse.Disposition) async throws -> Response {
        let user = try context.requireUser()
        let (applicationId, document) = try await gate.document(context, .downloadDocument)
        // Only a PDF is rendered by the browser; another type is only ever a download.
        if disposition == .inline, document.mediaType != DocumentResponse.viewableType { throw NotFound("viewable document") }
        if context.isHead { return DocumentResponse.head(document, disposition) }
        let action = disposition == .inline ? "document.viewed" : "document.downloaded"
        try await database.audit(action, actor: .staff(user), subjectType: "document", subjectId: document.id, detail: "application=\(applicationId)", at: options.clock.now)
        return try DocumentResponse.make(document, disposition, store: store)
    }

    @Sendable func changeStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let applicationId = try await gate.application(context, .changeStatus)
        guard let status = form["status"].flatMap(JobApplication.Status.init(rawValue:)) else {
            return try await applicationPage(context, applicationId: applicationId, formError: T("staffApp.chooseStatus"), status: .unprocessableContent)
        }
        try await database.changeStatus(applicationId: applicationId, to: status, by: user, at: options.clock.now)
        if status == .rejected {
            // Offer the rejection message, ready to edit and send.
            return SavedMessage.rejectedOffer.redirect(to: "/staff/applications/\(applicationId)?template=rejection")
        }
        return SavedMessage.status.redirect(to: "/staff/applications/\(applicationId)")
    }

    @Sendable func assess(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let applicationId = try await gate.application(context, .assess)
        switch AssessmentForm(form).validate() {
        case .failure(let errors):
            // Everything typed comes back; the missing scores are marked.
            return try await applicationPage(context, applicationId: applicationId, formError: errors.summary, status: .unprocessableContent, typedAssessment: form)
        case .success(let assessment):
            try await database.saveAssessment(applicationId: applicationId, by: user, assessment, at: options.clock.now)
            return SavedMessage.assessment.redirect(to: "/staff/applications/\(applicationId)")
        }
    }

    @Sendable func recordCheck(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let applicationId = try await gate.application(context, .recordCheck)
        guard let referenceId = context.parameters.get("ref", as: Int64.self) else { throw NotFound("reference") }
        switch ReferenceCheckForm(form).validate(today: options.retentionPolicy.day(of: options.clock.now)) {
        case .failure(let errors):
            return try await applicationPage(context, applicationId: applicationId, formError: errors.summary, status: .unprocessableContent)
        case .success(let check):
            return try await recording(context, applicationId: applicationId, saved: .check) {
                try await database.recordReferenceCheck(applicationId: applicationId, referenceId: referenceId, by: user, contactedOn: check.contactedOn, summary: check.summary, at: options.clock.now)
            }
        }
    }

    @Sendable func recordTransfer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let applicationId = try await gate.application(context, .recordCheck)
        switch TransferForm(form).validate(today: options.retentionPolicy.day(of: options.clock.now)) {
        case .failure(let errors):
            return try await applicationPage(context, applicationId: applicationId, formError: errors.summary, status: .unprocessableContent)
        case .success(let transfer):
            return try await recording(context, applicationId: applicationId, saved: .transfer) {
                try await database.recordTransfer(applicationId: applicationId, destinationId: transfer.destinationId, what: transfer.what, sharedOn: transfer.sharedOn, by: user, at: options.clock.now)
            }
        }
    }

    /// Runs a recording the core may refuse: 409 with the reason on the application page, and
    /// back to the page with a notice when it is stored.
    private func recording(_ context: AppRequestContext, applicationId: Int64, saved: SavedMessage, _ store: () async throws -> Void) async throws -> Response {
        do {
            try await store()
        } catch let refused as RecordingRefused {
            return try await applicationPage(context, applicationId: applicationId, formError: refused.localized, status: .conflict)
        }
        return saved.redirect(to: "/staff/applications/\(applicationId)")
    }

    private func applicationPage(
        _ context: AppRequestContext, applicationId: Int64, formError: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok,
        template: MessageTemplate.Purpose? = nil, composer: MessageComposer? = nil, typedAssessment: FormValues? = nil,
        sectionNotice: [String: String] = [:], facts: AccessPolicy.Facts? = nil
    ) async throws -> Response {
        let user = try context.requireUser()
        guard let record = try await database.applicationRecord(id: applicationId) else { throw NotFound("application") }
        var draft = composer ?? MessageComposer(applicationId: applicationId, mailOff: mailer == nil, chosen: template)
        if composer == nil, let template, let text = try await database.messageTemplates()[template] {
            draft.subject = MessageTemplate.fill(text.subject, name: record.application.name, vacancy: record.vacancy.title)
            draft.body = MessageTemplate.fill(text.body, name: record.application.name, vacancy: record.vacancy.title)
        }
        try await database.audit("application.viewed", actor: .staff(user), subjectType: "application", subjectId: applicationId, at: options.clock.now)
        var view = StaffApplicationView(record: record, user: user, now: options.clock.now, formError: formError, notice: notice, composer: draft, typed: typedAssessment)
        // A panel that sees it through a talent-pool proposal reads and assesses; deciding stays
        // with the panel of the vacancy it was sent to.
        // The facts the gate read for this request when it has them; read now otherwise.
        let known = if let facts { facts } else { try await database.accessFacts(user, applicationId: applicationId, at: options.clock.now) }
        view.mayDecide = known.map { AccessPolicy.permits(.changeStatus, $0) } ?? false
        view.answers = AnswerRow.rows(try await database.screeningAnswers(applicationId: applicationId))
        view.sectionNotice = sectionNotice
        let (newer, older) = try await database.neighbours(of: record.application)
        view.neighbours = NeighboursView(previous: newer.map { "/staff/applications/\($0)" }, next: older.map { "/staff/applications/\($0)" })
        return try renderer.page(.staffApplication, view, context, status: status)
    }
}
