import Foundation

/// The rules of a line that may become a mail header: no line break, tab or other control.
/// The controls (general category Cc) are U+0000-U+001F and U+007F-U+009F, a set Unicode's
/// stability policy keeps fixed; comparing values spares a property lookup per character.
func isOneLine(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
}

/// A panel member's message to the applicant: a one-line subject and a text.
public struct StaffMessageForm: Sendable {
    public static let limits = ["subject": 200, "body": 10_000]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    /// The validated message.
    public struct Valid: Sendable, Equatable {
        public var subject: String
        public var body: String
    }

    public func validate() -> Result<Valid, FieldErrors> {
        var errors = values.overLimit(Self.limits)
        let subject = values["subject"], body = values["body"]
        if errors["subject"] == nil {
            if subject == nil { errors["subject"] = "message.error.subject" }
            else if !isOneLine(subject!) { errors["subject"] = "message.error.subjectOneLine" }
        }
        if errors["body"] == nil, body == nil { errors["body"] = "message.error.body" }
        guard errors.isEmpty, let subject, let body else { return .failure(errors) }
        return .success(Valid(subject: subject, body: body))
    }
}

/// The applicant's answer on their private link.
public struct ReplyForm: Sendable {
    public static let limits = ["body": 10_000]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    public func validate() -> Result<String, FieldErrors> {
        var errors = values.overLimit(Self.limits)
        if errors["body"] == nil, values["body"] == nil { errors["body"] = "message.error.reply" }
        guard errors.isEmpty, let body = values["body"] else { return .failure(errors) }
        return .success(body)
    }
}

/// The address an applicant asks a new private link for.
public struct LostLinkForm: Sendable {
    public static let limits = ["email": 254]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    public func validate() -> Result<String, FieldErrors> {
        var errors = values.overLimit(Self.limits)
        if errors["email"] == nil {
            if let email = values["email"] {
                if !ApplicationForm.isPlausibleEmail(email) { errors["email"] = "form.emailInvalid" }
            } else {
                errors["email"] = "lostLink.error.email"
            }
        }
        guard errors.isEmpty, let email = values["email"] else { return .failure(errors) }
        return .success(email)
    }
}

/// HR's three message templates, each a subject and a text.
public struct MessageTemplatesForm: Sendable {
    public static let limits: [String: Int] = MessageTemplate.Purpose.allCases.reduce(into: [:]) {
        $0["\($1.rawValue)_subject"] = 200
        $0["\($1.rawValue)_body"] = 10_000
    }

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    public func validate() -> Result<[MessageTemplate.Purpose: (subject: String, body: String)], FieldErrors> {
        var errors = values.overLimit(Self.limits)
        var templates: [MessageTemplate.Purpose: (subject: String, body: String)] = [:]
        for purpose in MessageTemplate.Purpose.allCases {
            let subjectField = "\(purpose.rawValue)_subject", bodyField = "\(purpose.rawValue)_body"
            let subject = values[subjectField], body = values[bodyField]
            if errors[subjectField] == nil {
                if subject == nil { errors[subjectField] = Phrase("templates.error.subject.\(purpose.rawValue)") }
                else if !isOneLine(subject!) { errors[subjectField] = "message.error.subjectOneLine" }
            }
            if errors[bodyField] == nil, body == nil { errors[bodyField] = Phrase("templates.error.body.\(purpose.rawValue)") }
            if let subject, let body { templates[purpose] = (subject, body) }
        }
        guard errors.isEmpty else { return .failure(errors) }
        return .success(templates)
    }
}
