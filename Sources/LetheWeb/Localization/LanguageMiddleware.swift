import Foundation
import Hummingbird
import LetheCore

/// Chooses the language of each request and speaks it for the rest of the request.
///
/// The visitor's choice (the `lethe_lang` cookie, set by the switch on every page) comes first,
/// then the browser's `Accept-Language`, then `--default-language`. Everything rendered inside
/// (pages, error pages, dates) reads ``Localizer/current``.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "lethe_lang"

    /// One localizer per language, made once (each holds a calendar in the organisation's zone).
    let localizers: [Language: Localizer]
    let defaultLanguage: Language

    init(catalogues: [Language: Catalogue], defaultLanguage: Language, timeZone: TimeZone) {
        localizers = Localizer.each(of: catalogues, in: timeZone)
        self.defaultLanguage = defaultLanguage
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let chosen = request.cookies[Self.cookieName].flatMap { Language(rawValue: $0.value) }
        let language = chosen ?? Language.preferred(by: request.headers[.acceptLanguage]) ?? defaultLanguage
        var context = context
        context.returnPath = Self.returnPath(of: request)
        let localizer = localizers[language]!
        var response = try await Localizer.$current.withValue(localizer) {
            try await Phrase.$words.withValue(Phrase.Wording { localizer.text($0) }) { try await next(request, context) }
        }
        if chosen == nil { response.headers[.vary] = "Accept-Language, Cookie" }
        return response
    }

    /// Where the language switch returns to: the page itself, or for a form's answer (a POST),
    /// the page the form is on (its path without the last segment: `/jobs/1/apply` → `/jobs/1`).
    static func returnPath(of request: Request) -> String {
        let path = request.uri.path
        guard request.method == .post else { return request.uri.description }
        let trimmed = path.split(separator: "/").dropLast().joined(separator: "/")
        return trimmed.isEmpty ? path : "/" + trimmed
    }
}

/// `GET /language/<da|en>?return=<path>`: remembers the choice for a year and goes back.
struct LanguageController {
    let secureCookies: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/language/:code", use: choose)
    }

    @Sendable func choose(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let language = context.parameters.get("code").flatMap(Language.init(rawValue:)) else { throw NotFound("language") }
        var target = request.uri.queryParameters.get("return") ?? "/"
        // Only a path on this site: never `//host` or a scheme, never a header.
        if !target.hasPrefix("/") || target.hasPrefix("//") || target.hasPrefix("/\\") || target.contains(where: { $0.isNewline || $0 == "\0" }) {
            target = "/"
        }
        var response = Response.redirect(to: target)
        response.setCookie(Cookie(name: LanguageMiddleware.cookieName, value: language.rawValue, maxAge: 365 * 86_400, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }
}
