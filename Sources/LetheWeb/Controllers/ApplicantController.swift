import Foundation
import Hummingbird
import LetheCore

/// The applicant's private pages under `/me/<token>`.
struct ApplicantController {
    let database: AppDatabase
    let renderer: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/me/:token", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await findRecord(context)
        let submitted = request.uri.queryParameters.get("submitted") == "1"
        return renderer.page("receipt", ReceiptView(record: record, justSubmitted: submitted))
    }

    /// The application whose token is in the path, or 404 (which says nothing about why).
    func findRecord(_ context: AppRequestContext) async throws -> ApplicationRecord {
        guard let token = context.parameters.get("token"), let hash = ApplicantToken.hash(of: token),
              let record = try await database.applicationRecord(tokenHash: hash)
        else { throw HTTPError(.notFound, message: "There is no application at this link. It may have been withdrawn or erased.") }
        return record
    }
}
