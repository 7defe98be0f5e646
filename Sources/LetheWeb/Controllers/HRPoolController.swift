import Foundation
import Hummingbird
import LetheCore

/// `/hr/pool`: the talent pool, the applications whose applicants consented to be kept longer
/// (and so to be considered for other vacancies). HR searches it, tags applications and proposes
/// one to another vacancy, whose panel may then read and assess it while the consent lasts.
struct HRPoolController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let sealedText: SealedText
    let options: AppOptions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("pool", use: pool)
        group.post("pool/search", use: search)
        group.post("pool/:id/tags", use: addTag)
        group.post("pool/:id/tags/remove", use: removeTag)
        group.post("pool/:id/propose", use: propose)
    }

    @Sendable func pool(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request, context, notice: SavedMessage.of(request))
    }

    private func page(_ request: Request, _ context: AppRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let now = options.clock.now
        // The search travels sealed: names stay out of URLs and logs.
        let sealed = request.uri.queryParameters.get("q")
        let query = sealedText.open(sealed, at: now) ?? ""
        let entries = try await database.pool(search: query, at: now)
        let open = try await database.openVacancies(at: now)
        let view = HRPoolView(entries: entries, openVacancies: open, query: query, searchQuery: query.isEmpty ? "" : sealed.map { "?q=\($0)" } ?? "", notice: notice, error: error)
        return try renderer.page(.hrPool, view, context, status: status)
    }

    /// `POST /hr/pool/search` (`q`): the pool again, the search sealed into the URL.
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await csrf.verifiedForm(request, context)
        let query = String((form["q"] ?? "").prefix(200))
        return .redirect(to: query.isEmpty ? "/hr/pool" : "/hr/pool?q=" + sealedText.seal(query, at: options.clock.now))
    }

    @Sendable func addTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let id = try applicationId(context)
        guard let tag = form["tag"], tag.count <= AppDatabase.poolTagLimit else {
            return try await page(request, context, error: T("pool.tagInvalid", ["limit": String(AppDatabase.poolTagLimit)]), status: .unprocessableContent)
        }
        return try await change(request, context) {
            try await database.addPoolTag(applicationId: id, tag: tag, by: user, at: options.clock.now)
        }
    }

    @Sendable func removeTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let id = try applicationId(context)
        return try await change(request, context) {
            try await database.removePoolTag(applicationId: id, tag: form["tag"] ?? "", by: user, at: options.clock.now)
        }
    }

    @Sendable func propose(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let id = try applicationId(context)
        guard let vacancyId = form["vacancy_id"].flatMap({ Int64($0) }) else {
            return try await page(request, context, error: T("pool.chooseVacancy"), status: .unprocessableContent)
        }
        return try await change(request, context, saved: .proposed) {
            try await database.propose(applicationId: id, toVacancy: vacancyId, by: user, at: options.clock.now)
        }
    }

    /// Runs a change and goes back to the pool as it was shown; an application that left the
    /// pool meanwhile, or a vacancy that cannot take it, is said on the page.
    private func change(_ request: Request, _ context: AppRequestContext, saved: SavedMessage = .pool, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
        } catch PoolError.notInPool {
            return try await page(request, context, error: T("pool.notInPool"), status: .conflict)
        } catch PoolError.vacancyNotOpenToProposal {
            return try await page(request, context, error: T("pool.chooseVacancy"), status: .unprocessableContent)
        }
        let back = request.uri.queryParameters.get("q").map { "/hr/pool?q=\($0)" } ?? "/hr/pool"
        return saved.redirect(to: back)
    }

    private func applicationId(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw NotFound("application") }
        return id
    }
}
