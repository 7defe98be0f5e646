import Foundation
import Hummingbird
import LetheCore
import Mustache
import Synchronization

/// The templates, by name; every one must be in the templates directory at start.
enum Template: String, CaseIterable {
    case layout, jobs, vacancy, receipt, error, login, withdraw, withdrawn
    case staffHome = "staff-home", staffVacancy = "staff-vacancy", staffApplication = "staff-application"
    case hrHome = "hr-home", hrVacancy = "hr-vacancy", hrNotices = "hr-notices", hrNotice = "hr-notice"
    case hrRetention = "hr-retention", hrApplication = "hr-application", hrMail = "hr-mail"
    case passwordReset = "password-reset", passwordChange = "password-change"
    case applicantDetails = "applicant-details", thread, errorSummary = "error-summary"
    case lostLink = "lost-link", hrMessageTemplates = "hr-message-templates", hrPool = "hr-pool"
}

/// What every page shows besides its own content: the signed-in header, the token of the
/// forms on it, the retention period in the footer. Templates read it as `site`.
struct SiteContext {
    /// The signed-in user's header, on staff and HR pages.
    struct SignedIn {
        let name: String
        let isHR: Bool
        /// "Sign out Pia".
        let signOut: String

        init(name: String, isHR: Bool) {
            self.name = name
            self.isHR = isHR
            signOut = T("layout.signOut", ["name": name])
        }
    }

    let signedIn: SignedIn?
    let csrfToken: String
    /// "six months": from the retention policy, never a literal in a template.
    let retentionPeriod: String
    /// The footer's sentence about retention.
    let retentionNote: String
    /// The page's language, for `<html lang>`.
    let lang: String
    /// The texts of that language: `{{site.t.layout.skip}}`, or `{{t.…}}` anywhere.
    let t: CatalogueNode
    /// The switch to the other language: its name (in itself), its code, and where it goes.
    let switchName: String
    let switchLang: String
    let switchHref: String
}

/// Every page reads the site context and the signed-in header by name, not through `Mirror`.
extension SiteContext: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "signedIn": signedIn
        case "csrfToken": csrfToken
        case "retentionPeriod": retentionPeriod
        case "retentionNote": retentionNote
        case "lang": lang
        case "t": t
        case "switchName": switchName
        case "switchLang": switchLang
        case "switchHref": switchHref
        default: nil
        }
    }
}

extension SiteContext.SignedIn: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "isHR": isHR
        case "signOut": signOut
        default: nil
        }
    }
}

/// A page's view with the site context behind it: a name is looked up in the view first, then
/// `site` is the ``SiteContext``. Every lookup a section's rows do not answer comes up to here
/// (a list page has hundreds).
struct PageContext: MustacheParent {
    let view: any MustacheParent
    let site: SiteContext

    /// A view that answers by name itself is asked as it is; any other is reflected once.
    init(view: Any, site: SiteContext) {
        self.view = view as? MustacheParent ?? ViewTable(Mirror(reflecting: view))
        self.site = site
    }

    func child(named name: String) -> Any? {
        if name == "site" { return site }
        if name == "t" { return site.t }
        return view.child(named: name)
    }
}

/// A view struct reflected once into a table by name, with the view structs inside it (alone,
/// optional or in arrays) made tables too. Mustache's own lookup builds a `Mirror` of a value
/// and walks all its fields for every name it is asked (7% of the application page).
struct ViewTable: MustacheParent {
    private var fields: [String: Any] = [:]

    init(_ mirror: Mirror) {
        for child in mirror.children {
            guard let label = child.label, let value = Self.prepared(child.value) else { continue }
            fields[label] = value
        }
    }

    func child(named name: String) -> Any? { fields[name] }

    /// `value` as the templates read it: nil for an empty optional (as Mustache unwraps one),
    /// this module's view structs as tables, arrays of them table by table; anything else, and
    /// anything that answers Mustache itself, as it is.
    private static func prepared(_ value: Any) -> Any? {
        switch kind(of: value) {
        case .optional:
            return Mirror(reflecting: value).children.first.flatMap { prepared($0.value) }
        case .other:
            return value
        case .view:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .struct:
                return ViewTable(mirror)
            case .collection:
                // Rows that answer by name already (a list page's) stay as they are.
                if let first = mirror.children.first?.value, first is MustacheParent { return value }
                return mirror.children.compactMap { prepared($0.value) }
            default:
                return value
            }
        }
    }

    private enum Kind {
        /// Unwrapped first: `is` looks through optionals.
        case optional
        /// A view struct of this module, or an array of them, that does not answer Mustache itself.
        case view
        case other
    }

    /// What a value's type is to the tables, worked out once per type: its name is a string
    /// the runtime builds, and every field of every page asks.
    private static func kind(of value: Any) -> Kind {
        let type = type(of: value)
        if let known = kinds.withLock({ $0[ObjectIdentifier(type)] }) { return known }
        let name = String(reflecting: type)
        let kind: Kind = if name.hasPrefix("Swift.Optional<") {
            .optional
        } else if name.hasPrefix(viewStruct) || name.hasPrefix("Swift.Array<" + viewStruct),
                  !(value is MustacheParent || value is MustacheCustomRenderable || value is MustacheCustomRepresentation) {
            .view
        } else {
            .other
        }
        kinds.withLock { $0[ObjectIdentifier(type)] = kind }
        return kind
    }

    private static let kinds = Mutex<[ObjectIdentifier: Kind]>([:])
    /// "LetheWeb.": where the view structs are declared.
    private static let viewStruct = String(String(reflecting: ViewTable.self).prefix { $0 != "." }) + "."
}

/// Renders Mustache templates (loaded once from the templates directory) into HTML responses.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let retentionMonths: Int

    /// Loads every `.mustache` file of `directory`; fails naming the first template missing.
    public init(directory: String, policy: RetentionPolicy) async throws {
        PageHTML.register()
        library = try await MustacheLibrary(directory: directory)
        retentionMonths = policy.periodMonths
        for template in Template.allCases where library.getTemplate(named: template.rawValue) == nil {
            throw RendererError.missingTemplate(template.rawValue, directory)
        }
    }

    /// An HTML response of `template` filled from `view` and the request's site context. A
    /// page that cannot be rendered is a 500, never an empty page.
    func page(_ template: Template, _ view: Any, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) throws -> Response {
        let localizer = Localizer.current
        let period = RetentionPolicy.monthsText(retentionMonths, in: localizer)
        let other = Language.allCases.first { $0 != localizer.language } ?? .en
        let site = SiteContext(
            signedIn: context.user.map { .init(name: $0.name, isHR: AccessPolicy.mayAdminister($0)) },
            csrfToken: context.csrfToken, retentionPeriod: period, retentionNote: T("layout.retention", ["period": period]),
            lang: localizer.language.rawValue, t: CatalogueNode(catalogue: localizer.catalogue, prefix: ""),
            switchName: T("language.\(other.rawValue)"), switchLang: other.rawValue,
            switchHref: "/language/\(other.rawValue)?return=" + PercentEncoding.queryValue.encode(context.returnPath)
        )
        guard let html = library.render(PageContext(view: view, site: site), withTemplate: template.rawValue), !html.isEmpty else {
            throw RendererError.renderFailed(template.rawValue)
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// The templates directory is incomplete, or a page could not be rendered.
public enum RendererError: Error, CustomStringConvertible {
    case missingTemplate(String, String)
    case renderFailed(String)

    public var description: String {
        switch self {
        case .missingTemplate(let name, let dir): "template \(name).mustache not found in \(dir)"
        case .renderFailed(let name): "template \(name) rendered nothing"
        }
    }
}
