import Foundation
import Hummingbird
import LetheCore

/// The vacancy page with its application form: shown by ``PublicController`` and shown again,
/// with what was typed, by ``ApplyController``.
struct VacancyPage {
    let database: AppDatabase
    let renderer: PageRenderer
    let terms: TermsSigner
    let csrf: CSRFProtection
    let options: AppOptions

    /// The public vacancy named by the path's `id`, or 404 (drafts and archived ones too).
    func find(_ context: AppRequestContext) async throws -> (vacancy: Vacancy, destinations: [TransferDestination]) {
        guard let id = context.parameters.get("id", as: Int64.self), let found = try await database.vacancy(id: id), found.vacancy.isPublic else {
            throw HTTPError(.notFound, message: T("error.noVacancy"))
        }
        return found
    }

    /// The page, with the form as the user left it (and the CV kept for this browser) and,
    /// signed into the form, the terms it shows (notice versions, international or not, partners).
    func render(
        _ found: (vacancy: Vacancy, destinations: [TransferDestination]), _ request: Request, _ context: AppRequestContext,
        form: ApplicationForm = .init(), errors: FieldErrors = .init(), formMessage: String? = nil, status: HTTPResponse.Status = .ok,
        alreadyApplied: AlreadyAppliedView? = nil, preview: Bool = false
    ) async throws -> Response {
        let notices = try await database.currentNotices()
        let facts = try await database.applicationFormFacts(vacancyId: found.vacancy.id!, ownerHash: csrf.browserHash(for: request), at: options.clock.now)
        let shown = ShownTerms(vacancy: found.vacancy, destinations: found.destinations, notices: notices)
        let view = VacancyView(
            vacancy: found.vacancy, destinations: found.destinations, notices: notices, terms: terms.sign(shown),
            now: options.clock.now, maxUploadBytes: options.maxUploadBytes, form: form, errors: errors, formMessage: formMessage,
            kept: facts.kept.map { KeptFileView(name: $0.originalName, size: Formatting.size($0.size)) },
            retentionMonths: options.retentionPolicy.periodMonths, alreadyApplied: alreadyApplied, preview: preview, questions: facts.questions
        )
        return try renderer.page(.vacancy, view, context, status: status)
    }
}
