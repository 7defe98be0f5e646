import Foundation

/// The text fields of an application as the applicant typed them, before validation.
///
/// Field names are those of the public contract (`name`, `email`, `reference_1_name`, ...).
public struct ApplicationForm: Sendable, Equatable {
    /// Raw values by field name.
    public var values: [String: String]
    /// Fields that were longer than their limit (their value is cut and not trusted).
    public var overlong: Set<String>

    /// Creates a form from raw values.
    public init(values: [String: String] = [:], overlong: Set<String> = []) {
        self.values = values
        self.overlong = overlong
    }

    /// The most characters each field may hold.
    public static let limits: [String: Int] = {
        var limits = [
            "name": 200, "email": 254, "phone": 40, "cover_letter": 10_000,
            "privacy_ack": 3, "transfer_ack": 3, "csrf_token": 200, "terms": 1_000,
        ]
        for i in 1...referenceSlots {
            limits["reference_\(i)_name"] = 200
            limits["reference_\(i)_contact"] = 254
            limits["reference_\(i)_relationship"] = 200
            limits["reference_\(i)_permission"] = 3
        }
        return limits
    }()

    /// The fields that may hold line breaks; every other is one line.
    public static let multiLineFields: Set<String> = ["cover_letter"]

    /// How many references the form offers.
    public static let referenceSlots = 3

    /// The most UTF-8 bytes a field's buffer may take while it streams in.
    public static func byteLimit(of field: String) -> Int? {
        limit(of: field).map { $0 * 4 }
    }

    /// The most characters a field may hold: a fixed field's, or a screening answer's.
    public static func limit(of field: String) -> Int? {
        limits[field] ?? (isAnswerField(field) ? ScreeningQuestion.answerLimit : nil)
    }

    /// Whether `field` is the answer to a screening question (`answer_<question id>`).
    static func isAnswerField(_ field: String) -> Bool {
        field.hasPrefix("answer_") && field.count > 7 && field.dropFirst(7).allSatisfy(\.isASCII) && Int64(field.dropFirst(7)) != nil
    }

    /// A trimmed value, nil when absent or blank.
    public func value(_ field: String) -> String? {
        guard let raw = values[field] else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A validated application, ready to be stored.
    public struct Valid: Sendable, Equatable {
        public var name: String
        public var email: String
        public var phone: String?
        public var coverLetter: String?
        public var references: [ReferenceEntry]
        /// The answers to the vacancy's screening questions, by question id.
        public var answers: [Int64: String] = [:]
    }

    /// One reference as entered.
    public struct ReferenceEntry: Sendable, Equatable {
        public var position: Int
        public var name: String
        public var contact: String
        public var relationship: String
        public var permissionGiven: Bool
    }

    /// Checks every field; the errors are messages keyed by field name.
    public func validate(international: Bool, questions: [ScreeningQuestion] = []) -> Result<Valid, FieldErrors> {
        var errors = FieldErrors()
        for field in overlong.sorted() {
            errors[field] = Phrase("form.tooLong", ["limit": (Self.limit(of: field) ?? 0).groupedDigits])
        }
        for (field, raw) in values where errors[field] == nil {
            if raw.unicodeScalars.contains(where: { $0.value == 0 }) {
                errors[field] = "form.forbiddenCharacter"
            } else if !Self.multiLineFields.contains(field), !isOneLine(raw) {
                // A line break in a name or an address could start a new header in a message.
                errors[field] = "form.oneLine"
            } else if let limit = Self.limit(of: field), raw.count > limit {
                errors[field] = Phrase("form.tooLong", ["limit": limit.groupedDigits])
            }
        }

        let name = value("name")
        if errors["name"] == nil, name == nil { errors["name"] = "apply.error.name" }
        let email = value("email")
        if errors["email"] == nil {
            if let email {
                if !Self.isPlausibleEmail(email) { errors["email"] = "form.emailInvalid" }
            } else {
                errors["email"] = "apply.error.email"
            }
        }
        let phone = value("phone")
        if errors["phone"] == nil, let phone, !Self.isPlausiblePhone(phone) {
            errors["phone"] = "apply.error.phone"
        }
        if errors["privacy_ack"] == nil, value("privacy_ack") != "yes" {
            errors["privacy_ack"] = "apply.error.privacy"
        }
        if errors["transfer_ack"] == nil {
            let ack = value("transfer_ack")
            if international, ack != "yes" {
                errors["transfer_ack"] = "apply.error.transferMissing"
            } else if !international, ack != nil {
                errors["transfer_ack"] = "apply.error.transferNotNeeded"
            }
        }

        var references: [ReferenceEntry] = []
        for i in 1...Self.referenceSlots {
            let prefix = "reference_\(i)_"
            let refName = value(prefix + "name"), contact = value(prefix + "contact")
            let relationship = value(prefix + "relationship"), permission = value(prefix + "permission")
            if refName == nil, contact == nil, relationship == nil {
                if permission != nil, errors[prefix + "permission"] == nil {
                    errors[prefix + "permission"] = Phrase("apply.error.permissionWithoutReference", ["n": String(i)])
                }
                continue
            }
            if errors[prefix + "name"] == nil, refName == nil { errors[prefix + "name"] = Phrase("apply.error.referenceName", ["n": String(i)]) }
            if errors[prefix + "contact"] == nil, contact == nil {
                errors[prefix + "contact"] = Phrase("apply.error.referenceContact", ["n": String(i)])
            }
            if errors[prefix + "permission"] == nil, let permission, permission != "yes" {
                errors[prefix + "permission"] = "apply.error.permissionValue"
            }
            if let refName, let contact {
                references.append(ReferenceEntry(
                    position: i, name: refName, contact: contact, relationship: relationship ?? "",
                    permissionGiven: permission == "yes"
                ))
            }
        }

        // Every screening question must be answered; a yes/no one with yes or no.
        var answers: [Int64: String] = [:]
        for question in questions {
            let field = question.fieldName
            guard errors[field] == nil else { continue }
            switch (question.kind, value(field)) {
            case (_, nil): errors[field] = Phrase("apply.error.answer", ["n": String(question.position)])
            case (.yesNo, let answer?) where answer != "yes" && answer != "no": errors[field] = "apply.error.answerYesNo"
            case (_, let answer?): answers[question.id!] = answer
            }
        }

        guard errors.isEmpty, let name, let email else { return .failure(errors) }
        var valid = Valid(name: name, email: email, phone: phone, coverLetter: value("cover_letter"), references: references)
        valid.answers = answers
        return .success(valid)
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].utf8.contains(UInt8(ascii: ".")),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return !email.unicodeScalars.contains(where: isRefusedInAddress)
    }

    /// A control character, a space or line break of any script, or a character an address may
    /// hold only quoted. Unicode's `White_Space` and the zero-width space are Foundation's
    /// `whitespacesAndNewlines` (and the tab), without its character set's lookups: every
    /// application checks its address twice.
    static func isRefusedInAddress(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\u{0}"..."\u{20}", "<", ">", "\"", "(", ")", ",", ";", ":", "[", "]", "\\", "\u{200B}": true
        case "\u{21}"..."\u{7F}": false
        default: scalar.properties.isWhitespace
        }
    }

    static func isPlausiblePhone(_ phone: String) -> Bool {
        let allowed = CharacterSet(charactersIn: "0123456789+-() .")
        return phone.unicodeScalars.allSatisfy(allowed.contains) && phone.contains(where: \.isNumber)
    }
}
