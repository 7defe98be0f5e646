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

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/me/:token", use: show)
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
        try await page(request, context, try await findRecord(context), notice: SavedMessage.of(request))
    }

    @Sendable func withdrawn(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.page(.withdrawn, WithdrawnView(), context)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await findRecord(context)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let json = try encoder.encode(ApplicantExport(record: record, exportedAt: options.clock.now))
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
            try await database.giveConsent(tokenHash: record.application.tokenHash, months: months, shown: shown, policy: options.retentionPolicy, at: options.clock.now)
        } catch is TermsChanged {
            return try await page(request, context, record, error: "The consent text changed while this page was open. Please read it again below and give your consent again if you still wish to.", status: .conflict)
        }
        return SavedMessage.applicantConsent.redirect(to: basePath(context))
    }

    @Sendable func withdrawConsent(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await csrf.verifiedForm(request, context)
        let record = try await findRecord(context)
        try await database.withdrawConsent(tokenHash: record.application.tokenHash, policy: options.retentionPolicy, at: options.clock.now)
        return SavedMessage.consentWithdrawn.redirect(to: basePath(context))
    }

    @Sendable func withdrawReferencePermission(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await csrf.verifiedForm(request, context)
        let record = try await findRecord(context)
        guard let referenceId = context.parameters.get("ref", as: Int64.self) else { throw NotFound("reference") }
        try await database.withdrawReferencePermission(tokenHash: record.application.tokenHash, referenceId: referenceId, at: options.clock.now)
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

    private func page(_ request: Request, _ context: AppRequestContext, _ record: ApplicationRecord, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let current = try await database.currentNotices()
        let view = ReceiptView(
            record: record, token: context.parameters.get("token")!,
            justSubmitted: request.uri.queryParameters.get("submitted") == "1", notice: notice, error: error,
            currentNotices: current, consentTerms: terms.sign(ShownTerms(notices: current[.retention]?.id.map { [.retention: $0] } ?? [:])),
            policy: options.retentionPolicy, now: options.clock.now
        )
        return try renderer.page(.receipt, view, context, status: status)
    }

    private func basePath(_ context: AppRequestContext) -> String {
        "/me/\(context.parameters.get("token")!)"
    }

    /// The application whose token is in the path, or 404 (which says nothing about why).
    func findRecord(_ context: AppRequestContext) async throws -> ApplicationRecord {
        guard let token = context.parameters.get("token").flatMap(SecretToken.init),
              let record = try await database.applicationRecord(tokenHash: token.hash)
        else { throw HTTPError(.notFound, message: "There is no application at this link. It may have been withdrawn or erased.") }
        return record
    }
}
