import Foundation
import LetheCore
import Mustache

/// The mail templates, one per language (`templates/mail/<da|en>/<name>.mustache`); each
/// starts with its subject line, `Subject: …`, then a blank line and the plain-text body.
enum MailTemplate: String, CaseIterable {
    case receipt
    case lostLink = "lost-link"
    case reminder
    case message
    case replyNotice = "reply-notice"
    case erasureNotice = "erasure-notice"
    case passwordReset = "password-reset"

    func name(in language: Language) -> String { "mail/\(language.rawValue)/\(rawValue)" }
}

/// Writes the messages Lethe sends, from the mail templates: what each says, to whom.
public struct Mailer: Sendable {
    let library: MustacheLibrary
    let publicURL: String
    let policy: RetentionPolicy
    /// One localizer per language, made once.
    let localizers: [Language: Localizer]
    /// The language of mail to a staff member who has not yet used Lethe.
    let staffLanguage: Language

    /// Checks that every mail template is there in every language.
    init(library: MustacheLibrary, publicURL: String, policy: RetentionPolicy, catalogues: [Language: Catalogue], timeZone: TimeZone, staffLanguage: Language) throws {
        for template in MailTemplate.allCases {
            for language in Language.allCases where library.getTemplate(named: template.name(in: language)) == nil {
                throw RendererError.missingTemplate(template.name(in: language) + ".mustache", "the templates directory")
            }
        }
        self.library = library
        self.publicURL = publicURL
        self.policy = policy
        localizers = Localizer.each(of: catalogues, in: timeZone)
        self.staffLanguage = staffLanguage
    }

    /// Writes a message in `language` (stored as `da`/`en`): its dates, its template.
    private func speaking<T>(_ language: String, _ write: (Language) -> T) -> T {
        let language = Language(rawValue: language) ?? .en
        let localizer = localizers[language] ?? Localizer.current
        return Localizer.$current.withValue(localizer) { write(language) }
    }

    /// The receipt of a new application.
    func receipt(to address: MailAddress, vacancyTitle: String, fileName: String, references: Int, token: SecretToken, submittedAt: Date, language: String) -> OutgoingMail {
        speaking(language) { language in
            let link = "\(publicURL)/me/\(token.text)"
            let view = ReceiptMailView(
                name: address.name ?? "", vacancyTitle: vacancyTitle, fileName: fileName, references: references,
                link: link, withdrawLink: link + "/withdraw", erasedOn: Formatting.day(policy.baseEnd(submittedAt: submittedAt)),
                retentionPeriod: RetentionPolicy.monthsText(policy.periodMonths, in: Localizer.current)
            )
            return render(.receipt, language, view, kind: .receipt, to: address)
        }
    }

    /// A fresh private link, asked for at `/me`.
    func lostLink(_ application: LinkedApplication, token: SecretToken) -> OutgoingMail? {
        guard let address = MailAddress(application.email, name: application.name) else { return nil }
        return speaking(application.language) { language in
            render(.lostLink, language, LinkMailView(application, link: link(token), policy: policy), kind: .lostLink, to: address)
        }
    }

    /// The reminder before erasure, with a link straight to the consent section.
    func reminder(_ application: LinkedApplication, token: SecretToken) -> OutgoingMail? {
        guard let address = MailAddress(application.email, name: application.name) else { return nil }
        return speaking(application.language) { language in
            render(.reminder, language, LinkMailView(application, link: link(token) + "#consent", policy: policy), kind: .reminder, to: address)
        }
    }

    /// A panel member's message, with a link to the thread where the applicant answers.
    func message(_ application: LinkedApplication, token: SecretToken, subject: String, body: String) -> OutgoingMail? {
        guard let address = MailAddress(application.email, name: application.name) else { return nil }
        let view = MessageMailView(subject: subject, text: body, vacancyTitle: application.vacancyTitle, link: link(token) + "#messages")
        return speaking(application.language) { render(.message, $0, view, kind: .message, to: address) }
    }

    /// To a panel member: an answer waits. No name of the applicant, none of their text.
    func replyNotice(applicationId: Int64, to member: StaffUser) -> OutgoingMail? {
        guard let address = MailAddress(member.email, name: member.name) else { return nil }
        let view = ReplyNoticeMailView(name: member.name, applicationId: applicationId, link: "\(publicURL)/staff/applications/\(applicationId)#messages")
        return speaking(member.language ?? staffLanguage.rawValue) { render(.replyNotice, $0, view, kind: .replyNotice, to: address) }
    }

    /// To a staff member whose password HR reset: a link that sets a new one.
    func passwordReset(_ user: StaffUser, code: PasswordResetCode) -> OutgoingMail? {
        guard let address = MailAddress(user.email, name: user.name) else { return nil }
        let minutes = Int(PasswordResetCode.linkLifetime / 60)
        let view = PasswordResetMailView(name: user.name, link: "\(publicURL)/login/reset?code=\(code.text)", minutes: minutes)
        return speaking(user.language ?? staffLanguage.rawValue) { render(.passwordReset, $0, view, kind: .passwordReset, to: address) }
    }

    private func link(_ token: SecretToken) -> String { "\(publicURL)/me/\(token.text)" }

    /// The notice that an application was erased.
    func erasureNotice(_ erased: ErasedApplication, at now: Date) -> OutgoingMail? {
        guard let address = MailAddress(erased.email, name: erased.name) else { return nil }
        return speaking(erased.language) { language in
            let view = ErasureMailView(name: erased.name, vacancyTitle: erased.vacancyTitle, submittedOn: Formatting.day(erased.submittedAt), erasedOn: Formatting.day(now))
            return render(.erasureNotice, language, view, kind: .erasureNotice, to: address)
        }
    }

    private func render(_ template: MailTemplate, _ language: Language, _ view: Any, kind: MailKind, to: MailAddress) -> OutgoingMail {
        let text = library.render(view, withTemplate: template.name(in: language)) ?? ""
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

struct LinkMailView {
    let name: String
    let vacancyTitle: String
    let link: String
    let erasedOn: String
    let submittedOn: String
    /// Whether the date ends a consent the applicant gave, not the ordinary period.
    let consentEnds: Bool
    let retentionPeriod: String

    init(_ application: LinkedApplication, link: String, policy: RetentionPolicy) {
        name = application.name
        vacancyTitle = application.vacancyTitle
        self.link = link
        erasedOn = Formatting.day(application.retentionUntil)
        submittedOn = Formatting.day(application.submittedAt)
        consentEnds = application.retentionUntil > policy.baseEnd(submittedAt: application.submittedAt)
        retentionPeriod = RetentionPolicy.monthsText(policy.periodMonths, in: Localizer.current)
    }
}

struct MessageMailView {
    let subject: String
    let text: String
    let vacancyTitle: String
    let link: String
}

struct ReplyNoticeMailView {
    let name: String
    let applicationId: Int64
    let link: String
}

struct PasswordResetMailView {
    let name: String
    let link: String
    let minutes: Int
}

struct ErasureMailView {
    let name: String
    let vacancyTitle: String
    let submittedOn: String
    let erasedOn: String
}

extension Mailer {
    /// The mailer the options ask for, from loaded templates and catalogues; nil when mail is off.
    init?(_ options: AppOptions, library: MustacheLibrary, catalogues: [Language: Catalogue]) throws {
        guard options.mailTransport != .none else { return nil }
        try self.init(library: library, publicURL: options.resolvedPublicURL, policy: options.retentionPolicy,
                      catalogues: catalogues, timeZone: options.timeZone, staffLanguage: options.defaultLanguage)
    }
}

extension Purger {
    /// Gives the purger its retention rule and the messages it queues (erasure notices and
    /// reminders), written by `mailer`; silent when there is none.
    mutating func speak(through mailer: Mailer?, _ options: AppOptions) {
        policy = options.retentionPolicy
        reminderLead = TimeInterval(options.reminderDays) * 86_400
        guard let mailer else { return }
        let clock = options.clock
        erasureNotice = { mailer.erasureNotice($0, at: clock.now) }
        reminder = { mailer.reminder($0, token: $1) }
    }
}

/// For `lethe purge`: loads the templates and texts and gives the purger the messages it
/// queues, written as the server writes them.
public func configureMail(of purger: inout Purger, _ options: AppOptions) async throws {
    var mailer: Mailer?
    if options.mailTransport != .none {
        let library = try await PageRenderer(directory: options.templatesPath, policy: options.retentionPolicy).library
        mailer = try Mailer(options, library: library, catalogues: try Catalogue.load(templates: options.templatesPath))
    }
    purger.speak(through: mailer, options)
}
