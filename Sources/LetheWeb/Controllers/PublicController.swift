import Foundation
import Hummingbird
import LetheCore

/// The pages anyone can see: open vacancies, a vacancy with its form, and the health check.
struct PublicController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let terms: TermsSigner
    let options: AppOptions

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: list)
        router.get("/jobs", use: list)
        router.get("/jobs/:id", use: show)
        router.get("/healthz", use: health)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let vacancies = try await database.openVacancies(at: options.clock.now).map {
            VacancySummary(id: $0.id!, title: $0.title, location: $0.location, closesOn: Formatting.day(DayFormat.date(from: $0.closesOn)!), international: $0.international)
        }
        return renderer.page("jobs", JobsView(vacancies: vacancies, hasVacancies: !vacancies.isEmpty))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let found = try await findVacancy(context)
        let issued = csrf.issue(for: request)
        let view = try await vacancyView(found, csrfToken: issued.token)
        var response = renderer.page("vacancy", view)
        if let cookie = issued.cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard await database.isHealthy() else { throw HTTPError(.serviceUnavailable, message: "The database does not answer.") }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
    }

    /// The vacancy named by the `id` parameter, or 404.
    func findVacancy(_ context: AppRequestContext) async throws -> (vacancy: Vacancy, destinations: [TransferDestination]) {
        guard let id = context.parameters.get("id", as: Int64.self), let found = try await database.vacancy(id: id) else {
            throw HTTPError(.notFound, message: "This vacancy does not exist.")
        }
        return found
    }

    /// The vacancy page's view, with the form as the user left it and, signed into the form,
    /// the terms it shows (notice versions, international or not, partners).
    func vacancyView(
        _ found: (vacancy: Vacancy, destinations: [TransferDestination]), csrfToken: String,
        form: ApplicationForm = .init(), errors: FieldErrors = .init(), formMessage: String? = nil
    ) async throws -> VacancyView {
        let notices = try await database.currentNotices()
        let shown = ShownTerms(vacancy: found.vacancy, destinations: found.destinations, notices: notices)
        return VacancyView(
            vacancy: found.vacancy, destinations: found.destinations, notices: notices, terms: terms.sign(shown),
            now: options.clock.now, csrfToken: csrfToken, maxUploadBytes: options.maxUploadBytes, form: form, errors: errors,
            formMessage: formMessage
        )
    }
}
