import Foundation
import Hummingbird
import LetheCore

/// `/hr/notices/...`: every version of the notices shown to applicants, and publishing a new one.
struct HRNoticesController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let options: AppOptions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("notices", use: notices)
        group.post("notices", use: publish)
        group.get("notices/:id", use: show)
    }

    @Sendable func notices(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(context)
    }

    private func page(_ context: AppRequestContext, kind: String = "", bodyDa: String = "", bodyEn: String = "", error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = HRNoticesView(notices: try await database.allNotices(), kind: kind, bodyDa: bodyDa, bodyEn: bodyEn, error: error)
        return try renderer.page(.hrNotices, view, context, status: status)
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        switch NoticeForm(form).validate() {
        case .failure(let errors):
            return try await page(context, kind: form["kind"] ?? "", bodyDa: form.raw["body_da"] ?? "", bodyEn: form.raw["body_en"] ?? "", error: errors.summary, status: .unprocessableContent)
        case .success(let valid):
            let notice = try await database.publishNotice(kind: valid.kind, english: valid.english, danish: valid.danish, by: user, at: options.clock.now)
            return .redirect(to: "/hr/notices/\(notice.id!)")
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self), let notice = try await database.notice(id: id) else { throw NotFound("notice") }
        return try renderer.page(.hrNotice, HRNoticeView(notice), context)
    }
}
