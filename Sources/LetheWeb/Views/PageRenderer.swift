import Hummingbird
import Mustache

/// Renders Mustache templates (loaded once from the templates directory) into HTML responses.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every `.mustache` file of `directory`.
    public init(directory: String) async throws {
        library = try await MustacheLibrary(directory: directory)
        for name in ["layout", "jobs", "vacancy", "receipt", "error", "login", "staff-home", "staff-vacancy", "staff-application", "hr-home", "hr-vacancy", "hr-notices", "hr-notice", "hr-retention", "hr-application", "withdraw", "withdrawn", "password-reset", "password-change"] where library.getTemplate(named: name) == nil {
            throw RendererError.missingTemplate(name, directory)
        }
    }

    /// An HTML response of `template` filled from `view`.
    public func page(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(view, withTemplate: template) ?? ""
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// The templates directory is incomplete.
public enum RendererError: Error, CustomStringConvertible {
    case missingTemplate(String, String)

    public var description: String {
        switch self {
        case .missingTemplate(let name, let dir): "template \(name).mustache not found in \(dir)"
        }
    }
}
