import Foundation
import GRDB

/// Consent to keep an application beyond the ordinary retention period.
public struct Consent: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
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

    public static let databaseTableName = "consent"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Whether it still counts.
    public var isActive: Bool { withdrawnAt == nil }

    enum CodingKeys: String, CodingKey {
        case id
        case applicationId = "application_id"
        case noticeId = "notice_id"
        case givenAt = "given_at"
        case until, method
        case recordedBy = "recorded_by"
        case evidence
        case withdrawnAt = "withdrawn_at"
    }
}

/// One run of the purge, or one erasure on request; holds counts only.
public struct PurgeRecord: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    /// Why applications were erased.
    public enum Reason: String, Codable, Sendable, DatabaseValueConvertible {
        /// Their retention period ended.
        case retention
        /// HR erased on the applicant's request.
        case erasure
        /// The applicant withdrew the application.
        case withdrawal
    }

    public var id: Int64?
    public var purgedAt: Date
    public var asOf: Date
    public var reason: Reason
    public var applications: Int
    public var documents: Int

    public static let databaseTableName = "purge_record"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case purgedAt = "purged_at"
        case asOf = "as_of"
        case reason, applications, documents
    }
}
