import Foundation
import LetheCore
import Logging

/// Everything `buildApplication` needs to know; filled by the command line or by tests.
public struct AppOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Path of the SQLite database file.
    public var databasePath = "lethe.sqlite"
    /// Directory of encrypted documents.
    public var uploadsPath = "uploads"
    /// Directory of the Mustache templates.
    public var templatesPath = "templates"
    /// Directory of static files (CSS).
    public var publicPath = "public"
    /// Largest CV accepted, in bytes.
    public var maxUploadBytes = 10 * 1024 * 1024
    /// Ordinary retention, in months.
    public var retentionMonths = 6
    /// Furthest extended retention, in months after submission.
    public var maxRetentionMonths = 24
    /// Whether cookies carry `Secure`; off only for plain-HTTP development.
    public var secureCookies = true
    /// Seconds before a connection that sends nothing is closed.
    public var idleTimeoutSeconds = 30
    /// Seconds one upload may take in all, however slowly it trickles in.
    public var uploadTimeoutSeconds = 600
    /// The reverse proxy whose `X-Forwarded-For` names the client; no other peer is believed.
    public var trustedProxy: String?
    /// Start although the database file is readable by other users.
    public var allowSharedDatabase = false
    /// Who the first privacy notice names as data controller (later versions are HR's).
    public var controller = DataController(name: "Lethe Demo A/S, Eksempelvej 1, 1000 København K", contact: "privacy@lethe.example")
    /// How mail leaves: not at all, into a Maildir (development, the demo), or through sendmail.
    public enum MailTransportKind: String, Sendable, CaseIterable {
        case none, maildir, sendmail
    }

    public var mailTransport = MailTransportKind.maildir
    /// The sendmail-compatible command that relays (msmtp, Postfix, Exim).
    public var sendmailCommand = "/usr/sbin/sendmail -t -i"
    /// The Maildir; `mail` beside the database when nil.
    public var mailDirectory: String?
    /// The sender of every message, `Name <address>`.
    public var mailFrom = "Lethe <no-reply@lethe.example>"
    /// Where answers to messages go, `Name <address>`, if not to the sender.
    public var mailReplyTo: String?
    /// The address of Lethe as applicants reach it, for links in mail; `http://host:port` when nil.
    public var publicURL: String?
    /// Seconds between the delivery loop's looks at the outbox.
    public var mailPollSeconds = 2
    /// Days before an application's erasure date that its applicant is reminded (`--reminder-days`).
    public var reminderDays = 30
    /// Seconds before a failed message is tried again the first time; it doubles up to an hour.
    public var mailFirstRetrySeconds = 60

    /// The language of a visitor who has not chosen one and whose browser asks for neither.
    public var defaultLanguage = Language.da
    /// The organisation's time zone: every date and time shown is in it (stored in UTC).
    public var timeZone = TimeZone(identifier: "Europe/Copenhagen")!

    /// Rewrites every text as the catalogues are loaded: the pseudo-locale test marks each one.
    public var textTransform: (@Sendable (String) -> String)?

    /// The source of "now".
    public var clock = WallClock.system
    /// The log level.
    public var logLevel = Logger.Level.info
    /// Seconds between retention purges inside the server; 0 turns the scheduler off.
    public var purgeIntervalSeconds = 3600
    /// Where log lines go; the standard error stream when nil (tests capture them).
    public var makeLogHandler: (@Sendable (String) -> any LogHandler)?

    /// The defaults of `lethe serve`.
    public init() {}

    /// The Maildir in use.
    public var resolvedMailDirectory: String {
        mailDirectory ?? (URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("mail").path)
    }

    /// The base of links in mail, without a trailing slash.
    public var resolvedPublicURL: String {
        let url = publicURL ?? "http://\(host):\(port)"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// The retention rule these options describe.
    public var retentionPolicy: RetentionPolicy {
        RetentionPolicy(periodMonths: retentionMonths, maximumMonths: maxRetentionMonths, timeZone: timeZone)
    }
}
