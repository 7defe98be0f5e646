import Hummingbird

/// What a page says after a change was saved: the `saved` of a redirect's query, e.g.
/// `/staff/applications/7?saved=status`. Unknown values say nothing.
enum SavedMessage: String {
    case status, assessment, check, transfer
    case staff, disabled, enabled
    case created, updated, closed, reopened, panel, destination
    case consent, erased
    case reference, consentWithdrawn = "consent-withdrawn", applicantConsent = "applicant-consent"
    case password
    case mailRetried = "mail-retried", mailCancelled = "mail-cancelled"
    case replySent = "reply-sent", messageSent = "message-sent", templates
    case rejectedOffer = "rejected"

    var text: String {
        switch self {
        case .status: "The status was changed."
        case .assessment: "Your assessment was saved."
        case .check: "The reference check was recorded."
        case .transfer: "The transfer was recorded."
        case .staff: "The account was created."
        case .disabled: "The account was disabled and signed out everywhere."
        case .enabled: "The account was enabled."
        case .created: "The vacancy was created. Add the hiring panel below."
        case .updated: "The vacancy was saved."
        case .closed: "The vacancy was closed: it no longer takes applications."
        case .reopened: "The vacancy was reopened."
        case .panel: "The panel was changed."
        case .destination: "The transfer destinations were changed."
        case .consent: "The consent was recorded."
        case .erased: "The application was erased, with its documents."
        case .reference: "You withdrew your permission: that reference will not be contacted."
        case .applicantConsent: "Thank you: we will keep your application until the date shown."
        case .consentWithdrawn: "You withdrew your consent: your application will be erased on the date shown."
        case .password: "Your password was changed. Your other sessions were signed out."
        case .mailRetried: "The message will be tried again now."
        case .mailCancelled: "The message was cancelled; its address and text are forgotten."
        case .replySent: "Your message was sent to the hiring panel."
        case .messageSent: "Your message was sent to the applicant."
        case .templates: "The message templates were saved."
        case .rejectedOffer: "The status was changed to rejected. The rejection message is ready below: edit it if you like, and send it."
        }
    }

    /// The message for a request's `saved` parameter, if it names one.
    static func of(_ request: Request) -> String? {
        request.uri.queryParameters.get("saved").flatMap(SavedMessage.init(rawValue:))?.text
    }

    /// `path?saved=…#fragment`: where a handler sends the browser after a change.
    func redirect(to path: String, fragment: String? = nil) -> Response {
        .redirect(to: path + (path.contains("?") ? "&" : "?") + "saved=" + rawValue + (fragment.map { "#" + $0 } ?? ""))
    }
}

