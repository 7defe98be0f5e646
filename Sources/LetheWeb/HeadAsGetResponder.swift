import Hummingbird

/// Answers HEAD exactly as GET, without the body: the route, the access checks and the headers
/// are the GET's, and the context says it was HEAD. It wraps the whole router because routes
/// are matched by method before any router middleware runs.
struct HeadAsGetResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == AppRequestContext {
    let inner: Inner

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var context = context
        context.isHead = true
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        response.body = .init()
        return response
    }
}
