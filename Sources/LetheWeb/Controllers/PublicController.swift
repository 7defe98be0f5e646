import Foundation
import Hummingbird
import LetheCore

/// The pages anyone can see: open vacancies, a vacancy with its form, and the health check.
struct PublicController {
    let database: AppDatabase
    let renderer: PageRenderer
    let vacancyPage: VacancyPage
    let options: AppOptions

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: list)
        router.get("/jobs", use: list)
        router.get("/jobs/:id", use: show)
        router.get("/healthz", use: health)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let vacancies = try await database.openVacancies(at: options.clock.now).map {
            VacancySummary(id: $0.id!, title: $0.title, location: $0.location, closesOn: Formatting.day($0.closesOn), international: $0.international)
        }
        return try renderer.page(.jobs, JobsView(vacancies: vacancies), context)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await vacancyPage.render(try await vacancyPage.find(context), request, context)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard await database.isHealthy() else { throw HTTPError(.serviceUnavailable, message: T("error.databaseDown")) }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
    }
}
