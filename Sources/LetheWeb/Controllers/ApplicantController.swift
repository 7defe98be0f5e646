import Foundation
import Hummingbird
import LetheCore

/// The applicant's private pages under `/me/<token>`.
struct ApplicantController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let terms: TermsSigner
    let options: AppOptions
    let store: DocumentStore
    let purger: Purger
    let mailer: Mailer?
    let throttle: SignInThrottle

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/me", use: lostLinkForm)
        router.post("/me", use: requestLink)
        router.get("/me/:token", use: show)
        router.post("/me/:token/messages", use: reply)
        router.post("/me/:token/references/:ref/withdraw", use: withdrawReferencePermission)
        router.get("/me/:token/export", use: export)
        router.get("/me/:token/documents/:doc", use: download)
        router.post("/me/:token/consent", use: giveConsent)
        router.post("/me/:token/consent/withdraw", use: withdrawConsent)
        router.get("/me/:token/withdraw", use: confirmWithdrawal)
        router.post("/me/:token/withdraw", use: withdraw)
        router.get("/withdrawn", use: withdrawn)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let saved = SavedMessage.placement(of: request)
        return try await page(request, context, try await findRecord(context), notice: saved.top, sectionNotice: saved.sections)
    }

    /// `GET /me`: the form that asks for a new private link by e-mail.
    @Sendable func lostLinkForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.page(.lostLink, LostLinkView(email: "", sent: request.uri.queryParameters.get("sent") == "1", mailOff: mailer == nil), context)
    }

    /// `POST /me`: every live application of the address gets a fresh link by e-mail. The answer
    /// is the same whether the address is known or not; requests are throttled per address and
    /// per client; the audit has the request, never the address.
    @Sendable func requestLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let email: String
        switch LostLinkForm(form).validate() {
        case .success(let valid): email = valid
        case .failure(let errors):
            return try renderer.page(.lostLink, LostLinkView(email: form.raw["email"] ?? "", error: errors.text("email"), mailOff: mailer == nil), context, status: .unprocessableContent)
        }
        let now = options.clock.now
        let subjects = LostLinkThrottle.subjects(email: email, client: ClientAddress.of(request, peer: context.remoteAddress, trustedProxy: options.trustedProxy))
        if let paused = try await ThrottledForm.answer(database, throttle, subjects: subjects, at: now, messageKey: "lostLink.throttled", page: { message, status in
            try renderer.page(.lostLink, LostLinkView(email: email, error: message, mailOff: mailer == nil), context, status: status)
        }) { return paused }
        for subject in subjects { try await database.recordSignInFailure(throttle, subject, at: now) }
        if let mailer {
            try await database.renewLinks(email: email, compose: { mailer.lostLink($0, token: $1) }, at: now)
        }
        return .redirect(to: "/me?sent=1")
    }

    /// `POST /me/<token>/messages`: the applicant writes to the hiring panel.
    @Sendable func reply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let record = try await findRecord(context)
        switch ReplyForm(form).validate() {
        case .failure(let errors):
            return try await page(request, context, record, status: .unprocessableContent, reply: form.raw["body"] ?? "", replyError: errors.text("body"))
        case .success(let body):
            var notify: (@Sendable (Int64, StaffUser) -> OutgoingMail?)?
            if let mailer { notify = { mailer.replyNotice(applicationId: $0, to: $1) } }
            try await database.postApplicantReply(linkHash: linkHash(context), body: body, notify: notify, at: options.clock.now)
            return SavedMessage.replySent.redirect(to: basePath(context))
        }
    }

    @Sendable func withdrawn(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.page(.withdrawn, WithdrawnView(), context)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await findRecord(context)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        var export = ApplicantExport(record: record, exportedAt: options.clock.now)
        let applicationId = record.application.id!
        export.screeningAnswers = try await database.screeningAnswers(applicationId: applicationId).map { .init(question: $0.question.text, answer: $0.answer) }
        export.shownToVacancies = try await database.poolProposals(applicationId: applicationId).map { .init(vacancy: $0.title, since: $0.at) }
        let json = try encoder.encode(export)
        try await database.audit("application.exported", actor: .applicant, subjectType: "application", subjectId: record.application.id, at: options.clock.now)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentDisposition: "attachment; filename=\"my-application.json\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: json))
        )
    }

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await findRecord(context)
        guard let id = context.parameters.get("doc", as: Int64.self), let document = record.documents.first(where: { $0.id == id }) else {
            throw NotFound("document")
        }
        if context.isHead { return DocumentResponse.head(document) }
        try await database.audit("document.downloaded", actor: .applicant, subjectType: "document", subjectId: id, detail: "application=\(record.application.id!)", at: options.clock.now)
        return try DocumentResponse.make(document, store: store)
    }

    @Sendable func giveConsent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let record = try await findRecord(context)
        let months: Int
        switch ConsentForm(form).validate() {
        case .success(let chosen): months = chosen
        case .failure(let errors): return try await page(request, context, record, error: errors.summary, status: .unprocessableContent)
        }
        do {
            guard let shown = terms.verify(form["terms"]) else { throw TermsChanged() }
            try await database.giveConsent(linkHash: linkHash(context), months: months, shown: shown, language: Localizer.current.language.rawValue, policy: options.retentionPolicy, at: options.clock.now)
        } catch is TermsChanged {
            return try await page(request, context, record, error: T("receipt.consentChanged"), status: .conflict)
        }
        return SavedMessage.applicantConsent.redirect(to: basePath(context))
    }

    @Sendable func withdrawConsent(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await csrf.verifiedForm(request, context)
        // An unknown link answers 404: the database finds no application for it.
        try await database.withdrawConsent(linkHash: linkHash(context), policy: options.retentionPolicy, at: options.clock.now)
        return SavedMessage.consentWithdrawn.redirect(to: basePath(context))
    }

    @Sendable func withdrawReferencePermission(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await csrf.verifiedForm(request, context)
        guard let referenceId = context.parameters.get("ref", as: Int64.self) else { throw NotFound("reference") }
        try await database.withdrawReferencePermission(linkHash: linkHash(context), referenceId: referenceId, at: options.clock.now)
        return SavedMessage.reference.redirect(to: basePath(context))
    }

    @Sendable func confirmWithdrawal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await findRecord(context)
        return try renderer.page(.withdraw, WithdrawView(vacancyTitle: record.vacancy.title, basePath: basePath(context)), context)
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let record = try await findRecord(context)
        guard form["confirm"] == "yes" else { return .redirect(to: basePath(context) + "/withdraw") }
        _ = try await purger.erase(applicationId: record.application.id!, reason: .withdrawal, actor: .applicant, now: options.clock.now)
        return .redirect(to: "/withdrawn")
    }

    private func page(_ request: Request, _ context: AppRequestContext, _ record: ApplicationRecord, notice: String? = nil, sectionNotice: [String: String] = [:],
                      error: String? = nil, status: HTTPResponse.Status = .ok, reply: String = "", replyError: String? = nil) async throws -> Response {
        let current = try await database.currentNotices()
        var view = ReceiptView(
            record: record, token: context.parameters.get("token")!,
            justSubmitted: request.uri.queryParameters.get("submitted") == "1", notice: notice, error: error,
            currentNotices: current, consentTerms: terms.sign(ShownTerms(notices: current[.retention]?.id.map { [.retention: $0] } ?? [:])),
            policy: options.retentionPolicy, now: options.clock.now, reply: reply, replyError: replyError, publicURL: options.resolvedPublicURL
        )
        view.answers = AnswerRow.rows(try await database.screeningAnswers(applicationId: record.application.id!))
        view.sectionNotice = sectionNotice
        view.shownTo = try await database.poolProposals(applicationId: record.application.id!).map {
            T("receipt.shownToLine", ["title": $0.title, "date": Formatting.day($0.at)])
        }
        return try renderer.page(.receipt, view, context, status: status)
    }

    private func linkHash(_ context: AppRequestContext) -> Data {
        context.parameters.get("token").flatMap(SecretToken.init)?.hash ?? Data()
    }

    private func basePath(_ context: AppRequestContext) -> String {
        "/me/\(context.parameters.get("token")!)"
    }

    /// The application whose token is in the path, or 404 (which says nothing about why).
    func findRecord(_ context: AppRequestContext) async throws -> ApplicationRecord {
        guard let token = context.parameters.get("token").flatMap(SecretToken.init),
              let record = try await database.applicationRecord(linkHash: token.hash)
        else { throw HTTPError(.notFound, message: T("error.noApplicationAtLink")) }
        return record
    }
}
