import Foundation
import Hummingbird
import LetheCore

/// `/hr/mail`: the outbox's health. What waits or failed, by kind, age and error class, with the
/// application it belongs to but never an address or a text; HR retries or cancels failed ones.
/// `/hr/message-templates`: the texts panels start their messages from.
struct HRMailController {
    let database: AppDatabase
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let options: AppOptions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("mail", use: overview)
        group.post("mail/:id/retry", use: retry)
        group.post("mail/:id/cancel", use: cancel)
        group.get("message-templates", use: templates)
        group.post("message-templates", use: saveTemplates)
    }

    @Sendable func templates(_ request: Request, context: AppRequestContext) async throws -> Response {
        let stored = try await database.messageTemplates()
        let view = MessageTemplatesView(values: { purpose, part in part == "subject" ? stored[purpose]?.subject ?? "" : stored[purpose]?.body ?? "" }, errors: FieldErrors(), notice: SavedMessage.of(request))
        return try renderer.page(.hrMessageTemplates, view, context)
    }

    @Sendable func saveTemplates(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        switch MessageTemplatesForm(form).validate() {
        case .failure(let errors):
            let view = MessageTemplatesView(values: { form.raw["\($0.rawValue)_\($1)"] ?? "" }, errors: errors, notice: nil)
            return try renderer.page(.hrMessageTemplates, view, context, status: .unprocessableContent)
        case .success(let templates):
            try await database.saveMessageTemplates(templates, by: user, at: options.clock.now)
            return SavedMessage.templates.redirect(to: "/hr/message-templates")
        }
    }

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let view = HRMailView(try await database.outboxOverview(), mailOn: options.mailTransport != .none, now: options.clock.now, notice: SavedMessage.of(request))
        return try renderer.page(.hrMail, view, context)
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw NotFound("message") }
        try await database.retryMail(id: id, by: user, at: options.clock.now)
        return SavedMessage.mailRetried.redirect(to: "/hr/mail")
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        _ = try await csrf.verifiedForm(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw NotFound("message") }
        try await database.cancelMail(id: id, by: user, at: options.clock.now)
        return SavedMessage.mailCancelled.redirect(to: "/hr/mail")
    }
}
