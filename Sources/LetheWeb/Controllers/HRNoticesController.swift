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

    /// `GET /hr/notices[?kind=…]`: every version; with `kind`, the form starts from that
    /// notice's current text in both languages.
    @Sendable func notices(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let kind = request.uri.queryParameters.get("kind").flatMap(Notice.Kind.init(rawValue:)),
              let current = try await database.currentNotices()[kind]
        else { return try await page(context) }
        return try await page(context, kind: kind.rawValue, bodyDa: current.bodyDa ?? "", bodyEn: current.body)
    }

    private func page(_ context: AppRequestContext, kind: String = "", bodyDa: String = "", bodyEn: String = "", errors: [String: String] = [:], preview: NoticePreview? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        var view = HRNoticesView(notices: try await database.allNotices(), kind: kind, bodyDa: bodyDa, bodyEn: bodyEn, errors: errors)
        view.preview = preview
        return try renderer.page(.hrNotices, view, context, status: status)
    }

    /// `POST /hr/notices`: first a preview with each language's changes against the current
    /// version; the new version is published only from there, with `confirm=yes`, because every
    /// new applicant will acknowledge it.
    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let typedDa = form.raw["body_da"] ?? "", typedEn = form.raw["body_en"] ?? ""
        switch NoticeForm(form).validate() {
        case .failure(let errors):
            return try await page(context, kind: form["kind"] ?? "", bodyDa: typedDa, bodyEn: typedEn, errors: errors.messages.mapValues(\.text), status: .unprocessableContent)
        case .success(let valid):
            let current = try await database.currentNotices()[valid.kind]
            let preview = NoticePreview(valid, current: current)
            if preview.unchanged {
                return try await page(context, kind: valid.kind.rawValue, bodyDa: typedDa, bodyEn: typedEn, errors: ["body_da": T("hrNotices.unchanged")], status: .unprocessableContent)
            }
            guard form["confirm"] == "yes" else {
                return try await page(context, kind: valid.kind.rawValue, bodyDa: typedDa, bodyEn: typedEn, preview: preview)
            }
            let notice = try await database.publishNotice(kind: valid.kind, english: valid.english, danish: valid.danish, by: user, at: options.clock.now)
            return .redirect(to: "/hr/notices/\(notice.id!)")
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self), let notice = try await database.notice(id: id) else { throw NotFound("notice") }
        return try renderer.page(.hrNotice, HRNoticeView(notice), context)
    }
}
