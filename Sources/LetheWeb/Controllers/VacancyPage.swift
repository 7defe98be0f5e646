import Foundation
import Hummingbird
import LetheCore

/// The vacancy page with its application form: shown by ``PublicController`` and shown again,
/// with what was typed, by ``ApplyController``.
struct VacancyPage {
    let database: AppDatabase
    let renderer: PageRenderer
    let terms: TermsSigner
    let options: AppOptions

    /// The vacancy named by the path's `id`, or 404.
    func find(_ context: AppRequestContext) async throws -> (vacancy: Vacancy, destinations: [TransferDestination]) {
        guard let id = context.parameters.get("id", as: Int64.self), let found = try await database.vacancy(id: id) else {
            throw HTTPError(.notFound, message: T("error.noVacancy"))
        }
        return found
    }

    /// The page, with the form as the user left it and, signed into the form, the terms it
    /// shows (notice versions, international or not, partners).
    func render(
        _ found: (vacancy: Vacancy, destinations: [TransferDestination]), _ context: AppRequestContext,
        form: ApplicationForm = .init(), errors: FieldErrors = .init(), formMessage: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let notices = try await database.currentNotices()
        let shown = ShownTerms(vacancy: found.vacancy, destinations: found.destinations, notices: notices)
        let view = VacancyView(
            vacancy: found.vacancy, destinations: found.destinations, notices: notices, terms: terms.sign(shown),
            now: options.clock.now, maxUploadBytes: options.maxUploadBytes, form: form, errors: errors, formMessage: formMessage
        )
        return try renderer.page(.vacancy, view, context, status: status)
    }
}
