import Foundation
import Hummingbird
import LetheCore

/// `/hr/retention` and `/hr/applications/...`: who is erased when, finding an applicant for an
/// access or erasure request, consent recorded from other channels, and erasure on request. HR
/// sees contact details and retention here, never CVs, letters or assessments.
struct HRRetentionController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let sealedText: SealedText
    let options: AppOptions
    let purger: Purger

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("retention", use: retention)
        group.post("retention/search", use: searchByEmail)
        group.get("applications/:id", use: showApplication)
        group.post("applications/:id/consent", use: recordConsent)
        group.post("applications/:id/erase", use: erase)
    }

    @Sendable func retention(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = options.clock.now
        let dashboard = try await database.retentionDashboard(now: now)
        // The address travels sealed, never as itself: it stays out of URLs, logs and history.
        let email = sealedText.open(request.uri.queryParameters.get("lookup"), at: now) ?? ""
        let found = email.isEmpty ? [] : try await database.applications(email: email)
        let view = HRRetentionView(dashboard: dashboard, now: now, email: email, found: found, notice: SavedMessage.of(request))
        return try renderer.page(.hrRetention, view, context)
    }

    /// `POST /hr/retention/search` (`email`): the dashboard again, with the lookup sealed into its URL.
    @Sendable func searchByEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let email = String((form["email"] ?? "").prefix(254))
        return .redirect(to: email.isEmpty ? "/hr/retention" : "/hr/retention?lookup=" + sealedText.seal(email, at: options.clock.now))
    }

    @Sendable func showApplication(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await applicationPage(context, notice: SavedMessage.of(request))
    }

    /// The page; `errors` are the consent form's unless `erasing`.
    private func applicationPage(
        _ context: AppRequestContext, form: [String: String] = [:], errors: [String: String] = [:], erasing: Bool = false,
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireUser()
        guard let id = context.parameters.get("id", as: Int64.self), let record = try await database.applicationRecord(id: id) else {
            throw HTTPError(.notFound, message: T("hrApp.missing"))
        }
        try await database.audit("application.retention_viewed", actor: .staff(user), subjectType: "application", subjectId: id, at: options.clock.now)
        let view = HRApplicationView(record: record, policy: options.retentionPolicy, form: form, errors: errors,
                                     errorHeading: T(erasing ? "hrApp.notErased" : "hrApp.notRecorded"), notice: notice)
        return try renderer.page(.hrApplication, view, context, status: status)
    }

    @Sendable func recordConsent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw NotFound("application") }
        let kept = ["until": form["until"] ?? "", "evidence": form["evidence"] ?? ""]
        switch RecordedConsentForm(form).validate() {
        case .failure(let errors):
            return try await applicationPage(context, form: kept, errors: errors.messages.mapValues(\.text), status: .unprocessableContent)
        case .success(let consent):
            do {
                try await database.recordConsent(applicationId: id, lastDay: consent.lastDay, evidence: consent.evidence, by: user, policy: options.retentionPolicy, at: options.clock.now)
            } catch let error as ConsentError {
                let field = if case .missingEvidence = error { "evidence" } else { "until" }
                return try await applicationPage(context, form: kept, errors: [field: error.localized], status: .unprocessableContent)
            }
            return SavedMessage.consent.redirect(to: "/hr/applications/\(id)")
        }
    }

    @Sendable func erase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw NotFound("application") }
        guard form["confirm"] == "yes" else {
            return try await applicationPage(context, errors: ["confirm": T("hrApp.confirmErasure")], erasing: true, status: .unprocessableContent)
        }
        guard try await purger.erase(applicationId: id, reason: .erasure, actor: .staff(user), now: options.clock.now) else {
            throw HTTPError(.notFound, message: T("hrApp.missing"))
        }
        return SavedMessage.erased.redirect(to: "/hr/retention")
    }
}
