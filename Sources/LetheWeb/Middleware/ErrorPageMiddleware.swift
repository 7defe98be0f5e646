import Hummingbird
import LetheCore
import Logging

/// Turns errors thrown by handlers into HTML error pages; unexpected errors become a 500 that
/// reveals nothing, and are logged without personal data. Placed once for the whole router and
/// once more inside the signed-in groups, where the page keeps the user's navigation.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            var response = try page(error.status, message: error.body, context)
            for header in error.headers { response.headers.append(header) }
            return response
        } catch is NotFound {
            // Whatever a request names that does not exist, or was erased while it ran.
            return try page(.notFound, message: nil, context)
        } catch {
            context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "route": "\(context.endpointPath ?? "-")"])
            return try page(.internalServerError, message: nil, context)
        }
    }

    private func page(_ status: HTTPResponse.Status, message: String?, _ context: Context) throws -> Response {
        let titleKey = "error.title.\(status.code)"
        let title = Localizer.current.catalogue.strings[titleKey] ?? T("error.title.other")
        let fallback: String
        switch status.code {
        case 404: fallback = T("error.notFound")
        case 403: fallback = T("error.forbidden")
        case 500...: fallback = T("error.internal")
        default: fallback = title
        }
        return try renderer.page(.error, ErrorView(title: title, status: status.code, message: message ?? fallback), context, status: status)
    }
}
