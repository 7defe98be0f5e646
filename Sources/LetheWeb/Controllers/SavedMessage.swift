import Hummingbird

/// What a page says after a change was saved: the `saved` of a redirect's query, e.g.
/// `/staff/applications/7?saved=status`. Unknown values say nothing.
enum SavedMessage: String {
    case status, assessment, check, transfer
    case staff, disabled, enabled
    case created, updated, closed, reopened, panel, destination, published, archived, pool, proposed
    case consent, erased
    case reference, consentWithdrawn = "consent-withdrawn", applicantConsent = "applicant-consent"
    case password
    case mailRetried = "mail-retried", mailCancelled = "mail-cancelled"
    case replySent = "reply-sent", messageSent = "message-sent", templates
    case rejectedOffer = "rejected", bulkStatus = "bulk-status"

    var text: String { T("saved.\(self)") }

    /// The section of the application page (the panel's or the applicant's) a change was made
    /// in: the browser goes back there, and the message is said there.
    var section: String? {
        switch self {
        case .status: "decision"
        case .rejectedOffer: "messages"
        case .assessment: "assessments"
        case .check: "references"
        case .transfer: "transfers"
        case .messageSent, .replySent: "messages"
        default: nil
        }
    }

    /// What a request's `saved` parameter names, if anything.
    private static func named(in request: Request) -> SavedMessage? {
        request.uri.queryParameters.get("saved").flatMap(SavedMessage.init(rawValue:))
    }

    /// The message for a request's `saved` parameter, if it names one.
    static func of(_ request: Request) -> String? {
        named(in: request)?.text
    }

    /// Where a page with sections says the request's `saved` message: at its top, or, for a
    /// change made in a section, in that section (keyed by its id), out of sight at the top.
    static func placement(of request: Request) -> (top: String?, sections: [String: String]) {
        guard let saved = named(in: request) else { return (nil, [:]) }
        return saved.section.map { (nil, [$0: saved.text]) } ?? (saved.text, [:])
    }

    /// `path?saved=…#section`: where a handler sends the browser after a change (back to the
    /// section it was made in, when it has one).
    func redirect(to path: String) -> Response {
        .redirect(to: path + (path.contains("?") ? "&" : "?") + "saved=" + rawValue + (section.map { "#" + $0 } ?? ""))
    }
}

