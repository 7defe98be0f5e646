import Hummingbird

/// Answers HEAD exactly as GET, without the body: the route, the access checks and the headers
/// are the GET's. It wraps the whole router because routes are matched by method before any
/// router middleware runs.
struct HeadAsGetResponder<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        response.body = .init()
        return response
    }
}
