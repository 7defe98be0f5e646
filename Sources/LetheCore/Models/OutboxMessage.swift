import Foundation
import GRDB

/// A message in the outbox. Until it is delivered it holds its recipient and text; afterwards
/// only its kind, times and status.
public struct OutboxMessage: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    /// Where the message stands.
    public enum Status: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case pending, sending, delivered, failed, cancelled
    }

    public var id: Int64?
    public var applicationId: Int64?
    public var staffUserId: Int64?
    public var kind: MailKind
    /// The random local part of the Message-ID, fixed when the message is queued.
    public var messageId: String
    public var recipient: String?
    public var recipientName: String?
    public var subject: String?
    public var body: String?
    public var automatic: Bool
    /// For a reminder: the erasure date it announces (one reminder per application and date).
    public var reminderFor: Date?
    public var status: Status
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    /// While a delivery loop holds the message; an expired lease frees it again.
    public var leaseUntil: Date?
    public var finishedAt: Date?
    /// The last failure's class, without addresses.
    public var lastError: String?

    public static let databaseTableName = "outbox_message"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let applicationId = Column("application_id")
        public static let kind = Column("kind")
        public static let status = Column("status")
        public static let nextAttemptAt = Column("next_attempt_at")
        public static let leaseUntil = Column("lease_until")
        public static let createdAt = Column("created_at")
    }

    /// Queues `mail`.
    public init(_ mail: OutgoingMail, applicationId: Int64?, staffUserId: Int64? = nil, reminderFor: Date? = nil, at now: Date) {
        self.applicationId = applicationId
        self.staffUserId = staffUserId
        kind = mail.kind
        messageId = SecretToken.generate().text.prefix(24).description
        recipient = mail.to.address
        recipientName = mail.to.name
        subject = mail.subject
        body = mail.body
        automatic = mail.kind.isAutomatic
        self.reminderFor = reminderFor
        status = .pending
        attempts = 0
        createdAt = now
        nextAttemptAt = now
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
