import ArgumentParser
import Foundation
import LetheCore
import LetheWeb

/// `lethe`: the recruitment applicant-tracking server that forgets on time.
@main
struct Lethe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lethe, the applicant-tracking server that forgets on time.",
        discussion: "Every option can also be set with an environment variable: LETHE_ followed by the option's name in upper case, e.g. LETHE_PORT.",
        subcommands: [Serve.self, User.self, Purge.self, Audit.self]
    )
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "SQLite database file (LETHE_DATABASE).")
    var database: String = EnvironmentVariable.value("DATABASE") ?? "lethe.sqlite"

    @Option(help: "Directory of encrypted documents (LETHE_UPLOADS).")
    var uploads: String = EnvironmentVariable.value("UPLOADS") ?? "uploads"

    /// The database, migrated; or one line on standard error and exit 1.
    func openDatabase() -> AppDatabase {
        do {
            return try AppDatabase(path: database)
        } catch {
            fail("cannot open the database at \(database): \(error)")
        }
    }
}

/// How mail leaves, for `serve` (which sends) and `purge` (which queues erasure notices).
struct MailOptions: ParsableArguments {
    @Option(help: "none, maildir or sendmail (LETHE_MAIL_TRANSPORT).")
    var mailTransport: String = EnvironmentVariable.value("MAIL_TRANSPORT") ?? AppOptions().mailTransport.rawValue

    @Option(help: "The sendmail-compatible command that relays the mail (LETHE_SENDMAIL_COMMAND).")
    var sendmailCommand: String = EnvironmentVariable.value("SENDMAIL_COMMAND") ?? AppOptions().sendmailCommand

    @Option(name: .customLong("mail-dir"), help: "The Maildir of --mail-transport maildir; mail/ beside the database by default (LETHE_MAIL_DIR).")
    var mailDirectory: String?

    @Option(help: "The sender, \"Name <address>\" (LETHE_MAIL_FROM).")
    var mailFrom: String = EnvironmentVariable.value("MAIL_FROM") ?? AppOptions().mailFrom

    @Option(help: "Where answers go, if not to the sender (LETHE_MAIL_REPLY_TO).")
    var mailReplyTo: String?

    @Option(name: .customLong("public-url"), help: "Lethe's address as applicants reach it, for links in mail, e.g. https://jobs.example.dk (LETHE_PUBLIC_URL).")
    var publicURL: String?

    @Option(name: .customLong("mail-retry"), help: "Seconds before a failed message is tried again; doubles up to an hour (LETHE_MAIL_RETRY).")
    var mailRetry: Int = EnvironmentVariable.integer("MAIL_RETRY", default: AppOptions().mailFirstRetrySeconds)

    @Option(help: "Seconds between the delivery service's looks at the outbox (LETHE_MAIL_POLL).")
    var mailPoll: Int = EnvironmentVariable.integer("MAIL_POLL", default: AppOptions().mailPollSeconds)

    @Option(help: "Days before an application's erasure that its applicant is reminded and asked about keeping it longer (LETHE_REMINDER_DAYS).")
    var reminderDays: Int = EnvironmentVariable.integer("REMINDER_DAYS", default: AppOptions().reminderDays)

    @Option(help: "Directory of the Mustache templates (LETHE_TEMPLATES).")
    var templates: String = EnvironmentVariable.value("TEMPLATES") ?? "templates"

    func validate() throws {
        guard AppOptions.MailTransportKind(rawValue: mailTransport) != nil else {
            throw ValidationError("--mail-transport must be none, maildir or sendmail")
        }
        guard (1...3600).contains(mailRetry) else { throw ValidationError("--mail-retry must be between 1 and 3600 seconds") }
        guard (1...3600).contains(mailPoll) else { throw ValidationError("--mail-poll must be between 1 and 3600 seconds") }
        guard (1...365).contains(reminderDays) else { throw ValidationError("--reminder-days must be between 1 and 365") }
    }

    /// Copies the mail settings into `options`.
    func apply(to options: inout AppOptions) {
        options.mailTransport = AppOptions.MailTransportKind(rawValue: mailTransport) ?? .maildir
        options.sendmailCommand = sendmailCommand
        options.mailDirectory = mailDirectory ?? EnvironmentVariable.value("MAIL_DIR")
        options.mailFrom = mailFrom
        options.mailReplyTo = mailReplyTo ?? EnvironmentVariable.value("MAIL_REPLY_TO")
        options.publicURL = publicURL ?? EnvironmentVariable.value("PUBLIC_URL")
        options.templatesPath = templates
        options.mailFirstRetrySeconds = mailRetry
        options.reminderDays = reminderDays
        options.mailPollSeconds = mailPoll
    }
}

/// The language and time zone pages and messages speak (`serve` and `purge`).
struct LanguageOptions: ParsableArguments {
    @Option(help: "da or en: the language of visitors who have not chosen one and whose browser asks for neither, and of staff mail (LETHE_DEFAULT_LANGUAGE).")
    var defaultLanguage: String = EnvironmentVariable.value("DEFAULT_LANGUAGE") ?? AppOptions().defaultLanguage.rawValue

    @Option(help: "The organisation's time zone; every date and time shown is in it (LETHE_TIME_ZONE).")
    var timeZone: String = EnvironmentVariable.value("TIME_ZONE") ?? AppOptions().timeZone.identifier

    func validate() throws {
        guard Language(rawValue: defaultLanguage) != nil else { throw ValidationError("--default-language must be da or en") }
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("--time-zone must be a zone like Europe/Copenhagen, not \(timeZone)") }
    }

    func apply(to options: inout AppOptions) {
        options.defaultLanguage = Language(rawValue: defaultLanguage) ?? .da
        options.timeZone = TimeZone(identifier: timeZone) ?? options.timeZone
    }
}

/// Reads `LETHE_*` variables.
enum EnvironmentVariable {
    static func value(_ name: String) -> String? {
        ProcessInfo.processInfo.environment["LETHE_" + name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An integer variable; a malformed value stops the program with one clear line.
    static func integer(_ name: String, default fallback: Int) -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text) else { fail("LETHE_\(name) must be a whole number, not \"\(text)\"") }
        return number
    }

    /// A yes/no variable.
    static func flag(_ name: String) -> Bool {
        guard let text = value(name)?.lowercased() else { return false }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: fail("LETHE_\(name) must be true or false, not \"\(text)\"")
        }
    }
}

/// Prints one line to standard error and exits non-zero.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("lethe: \(message)\n".utf8))
    exit(1)
}

/// Prints a line to standard output at once (unbuffered), so it reaches a log file or pipe
/// before the server starts blocking.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
