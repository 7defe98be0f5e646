import Foundation
import Hummingbird
import LetheCore

/// The applicant's private pages under `/me/<token>`.
struct ApplicantController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let options: AppOptions

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/me/:token", use: show)
        router.post("/me/:token/references/:ref/withdraw", use: withdrawReferencePermission)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await findRecord(context)
        let notice: String? = switch request.uri.queryParameters.get("saved") {
        case "reference": "You withdrew your permission: that reference will not be contacted."
        default: nil
        }
        return try page(request, context, record, notice: notice)
    }

    @Sendable func withdrawReferencePermission(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context)
        guard csrf.isValid(form.values[CSRFProtection.fieldName], for: request) else { throw HTTPError(.forbidden) }
        let record = try await findRecord(context)
        guard let referenceId = context.parameters.get("ref", as: Int64.self), record.references.contains(where: { $0.id == referenceId }) else {
            throw HTTPError(.notFound)
        }
        try await database.withdrawReferencePermission(tokenHash: record.application.tokenHash, referenceId: referenceId, at: options.clock.now)
        return Response(status: .seeOther, headers: [.location: "/me/\(context.parameters.get("token")!)?saved=reference"])
    }

    private func page(_ request: Request, _ context: AppRequestContext, _ record: ApplicationRecord, notice: String? = nil) throws -> Response {
        let issued = csrf.issue(for: request)
        let view = ReceiptView(
            record: record, token: context.parameters.get("token")!, csrfToken: issued.token,
            justSubmitted: request.uri.queryParameters.get("submitted") == "1", notice: notice
        )
        var response = renderer.page("receipt", view)
        if let cookie = issued.cookie { response.setCookie(cookie) }
        return response
    }

    /// The application whose token is in the path, or 404 (which says nothing about why).
    func findRecord(_ context: AppRequestContext) async throws -> ApplicationRecord {
        guard let token = context.parameters.get("token"), let hash = ApplicantToken.hash(of: token),
              let record = try await database.applicationRecord(tokenHash: hash)
        else { throw HTTPError(.notFound, message: "There is no application at this link. It may have been withdrawn or erased.") }
        return record
    }
}
