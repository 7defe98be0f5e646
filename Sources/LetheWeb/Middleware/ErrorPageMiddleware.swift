import Hummingbird
import Logging

/// Turns errors thrown by handlers into HTML error pages; unexpected errors become a 500 that
/// reveals nothing, and are logged without personal data.
struct ErrorPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let renderer: PageRenderer

    struct ErrorView {
        let title: String
        let status: Int
        let message: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            var response = renderer.page("error", view(for: error.status, message: error.body), status: error.status)
            for header in error.headers { response.headers.append(header) }
            return response
        } catch {
            context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "route": "\(context.endpointPath ?? "-")"])
            return renderer.page("error", view(for: .internalServerError, message: nil), status: .internalServerError)
        }
    }

    private func view(for status: HTTPResponse.Status, message: String?) -> ErrorView {
        let fallback: String
        switch status.code {
        case 404: fallback = "There is nothing here. The link may be wrong, or what it pointed to has been erased."
        case 403: fallback = "This form has expired or did not come from this site. Go back, reload the page and try again."
        case 500...: fallback = "Something went wrong on our side. Nothing was saved. Please try again in a moment."
        default: fallback = status.reasonPhrase
        }
        return ErrorView(title: status.reasonPhrase, status: status.code, message: message ?? fallback)
    }
}
