import Hummingbird

/// Guarantees every browser a CSRF cookie and every handler the token for its forms
/// (`context.csrfToken`), so no handler issues one by hand. Checking a submitted token is the
/// handler's, where the form is read (``CSRFProtection/verifiedForm(_:_:)``, or as the
/// multipart application streams in).
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let csrf: CSRFProtection

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let issued = csrf.issue(for: request)
        context.csrfToken = issued.token
        var response = try await next(request, context)
        let renewed = response.headers[values: .setCookie].contains { $0.hasPrefix(CSRFProtection.cookieName + "=") }
        if let cookie = issued.cookie, !renewed {
            response.setCookie(cookie)
        }
        return response
    }
}
