import Foundation

/// A mailbox: an address and, optionally, the person's name.
public struct MailAddress: Sendable, Equatable {
    public var address: String
    public var name: String?

    /// A mailbox, or nil when the address could break a header (CR, LF or other controls,
    /// angle brackets, no single `@`).
    public init?(_ address: String, name: String? = nil) {
        guard ApplicationForm.isPlausibleEmail(address) else { return nil }
        self.address = address
        self.name = name.map { $0.filter { !$0.isNewline && !($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) } }
    }

    /// The domain part, for Message-IDs.
    public var domain: String { String(address.split(separator: "@").last ?? "localhost") }
}

/// What Lethe sends, and why.
public enum MailKind: String, Codable, Sendable, CaseIterable {
    /// Right after applying: what was received, the private link, the erasure date.
    case receipt
    /// A fresh private link, asked for at `/me`.
    case lostLink = "lost_link"
    /// Before erasure: when, and how to consent to keeping the application longer.
    case reminder
    /// A message from the panel.
    case message
    /// To the panel: the applicant has answered (no name, no text).
    case replyNotice = "reply_notice"
    /// After erasure: that it happened.
    case erasureNotice = "erasure_notice"
    /// To a staff member: a link to set a new password.
    case passwordReset = "password_reset"

    /// Whether Lethe sends it by itself (`Auto-Submitted: auto-generated`), not a person.
    public var isAutomatic: Bool { self != .message }
}

/// A message to be written to the outbox: its rendered subject and plain-text body.
public struct OutgoingMail: Sendable, Equatable {
    public var kind: MailKind
    public var to: MailAddress
    public var subject: String
    public var body: String

    /// A message ready for the outbox.
    public init(kind: MailKind, to: MailAddress, subject: String, body: String) {
        self.kind = kind
        self.to = to
        self.subject = subject.filter { !$0.isNewline }
        self.body = body
    }
}

extension MailAddress {
    /// `Name <address>` or a bare address, as an operator writes it; nil when it is neither.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            self.init(address, name: name.isEmpty ? nil : name)
        } else {
            self.init(trimmed)
        }
    }
}
