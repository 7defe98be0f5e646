import Foundation
import GRDB

/// Consent to keep an application beyond the ordinary retention period.
public struct Consent: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    /// How the consent was obtained.
    public enum Method: String, Codable, Sendable, DatabaseValueConvertible {
        /// The applicant clicked on their private page.
        case applicant
        /// HR recorded consent given by other means (evidence stored).
        case hr
    }

    public var id: Int64?
    public var applicationId: Int64
    /// The extended-retention consent text shown.
    public var noticeId: Int64
    public var givenAt: Date
    /// The application may be kept until this instant.
    public var until: Date
    public var method: Method
    public var recordedBy: Int64?
    /// For consent recorded by HR: where it came from, e.g. "reply by e-mail of 3 March".
    public var evidence: String?
    public var withdrawnAt: Date?
    /// The language of the consent text the applicant read (`da`, `en`); for consent HR
    /// records, the language of the text current then in the applicant's language.
    public var language: String

    public static let databaseTableName = "consent"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let applicationId = Column("application_id")
        public static let until = Column("until")
        public static let withdrawnAt = Column("withdrawn_at")
    }

    /// Records a consent.
    public init(id: Int64? = nil, applicationId: Int64, noticeId: Int64, givenAt: Date, until: Date, method: Method, recordedBy: Int64?, evidence: String?, withdrawnAt: Date? = nil, language: String = "en") {
        self.language = language
        self.id = id
        self.applicationId = applicationId
        self.noticeId = noticeId
        self.givenAt = givenAt
        self.until = until
        self.method = method
        self.recordedBy = recordedBy
        self.evidence = evidence
        self.withdrawnAt = withdrawnAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Whether it still counts.
    public var isActive: Bool { withdrawnAt == nil }
}
