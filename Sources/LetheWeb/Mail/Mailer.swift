import Foundation
import LetheCore
import Mustache

/// The mail templates, by name (`templates/mail/<name>.mustache`); each starts with its
/// subject line, `Subject: …`, then a blank line and the plain-text body.
enum MailTemplate: String, CaseIterable {
    case receipt = "mail/receipt"
    case erasureNotice = "mail/erasure-notice"
}

/// Writes the messages Lethe sends, from the mail templates: what each says, to whom.
public struct Mailer: Sendable {
    let library: MustacheLibrary
    let publicURL: String
    let policy: RetentionPolicy

    /// Checks that every mail template is there.
    init(library: MustacheLibrary, publicURL: String, policy: RetentionPolicy) throws {
        for template in MailTemplate.allCases where library.getTemplate(named: template.rawValue) == nil {
            throw RendererError.missingTemplate(template.rawValue + ".mustache", "the templates directory")
        }
        self.library = library
        self.publicURL = publicURL
        self.policy = policy
    }

    /// The receipt of a new application.
    func receipt(to address: MailAddress, vacancyTitle: String, fileName: String, references: Int, token: SecretToken, submittedAt: Date) -> OutgoingMail {
        let link = "\(publicURL)/me/\(token.text)"
        let view = ReceiptMailView(
            name: address.name ?? "", vacancyTitle: vacancyTitle, fileName: fileName, references: references,
            link: link, withdrawLink: link + "/withdraw", erasedOn: Formatting.day(policy.baseEnd(submittedAt: submittedAt)),
            retentionPeriod: policy.periodText
        )
        return render(.receipt, view, kind: .receipt, to: address)
    }

    /// The notice that an application was erased.
    func erasureNotice(_ erased: ErasedApplication, at now: Date) -> OutgoingMail? {
        guard let address = MailAddress(erased.email, name: erased.name) else { return nil }
        let view = ErasureMailView(name: erased.name, vacancyTitle: erased.vacancyTitle, submittedOn: Formatting.day(erased.submittedAt), erasedOn: Formatting.day(now))
        return render(.erasureNotice, view, kind: .erasureNotice, to: address)
    }

    private func render(_ template: MailTemplate, _ view: Any, kind: MailKind, to: MailAddress) -> OutgoingMail {
        let text = library.render(view, withTemplate: template.rawValue) ?? ""
        var lines = text.components(separatedBy: "\n").drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        var subject = "Lethe"
        if let first = lines.first, first.hasPrefix("Subject:") {
            subject = first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces)
            lines = lines.dropFirst().drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        return OutgoingMail(kind: kind, to: to, subject: subject, body: lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
    }
}

struct ReceiptMailView {
    let name: String
    let vacancyTitle: String
    let fileName: String
    let references: Int
    let link: String
    let withdrawLink: String
    let erasedOn: String
    let retentionPeriod: String
}

struct ErasureMailView {
    let name: String
    let vacancyTitle: String
    let submittedOn: String
    let erasedOn: String
}

/// The erasure notices `lethe purge` queues, written as the server writes them; nil when mail
/// is off.
public func erasureNoticeWriter(_ options: AppOptions) async throws -> (@Sendable (ErasedApplication) -> OutgoingMail?)? {
    guard options.mailTransport != .none else { return nil }
    let renderer = try await PageRenderer(directory: options.templatesPath, policy: options.retentionPolicy)
    let mailer = try Mailer(library: renderer.library, publicURL: options.resolvedPublicURL, policy: options.retentionPolicy)
    let clock = options.clock
    return { mailer.erasureNotice($0, at: clock.now) }
}
