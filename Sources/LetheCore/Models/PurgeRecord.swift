import Foundation
import GRDB

/// One run of the purge, or one erasure on request; holds counts only.
public struct PurgeRecord: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
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

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
    }

    /// Records a purge.
    public init(id: Int64? = nil, purgedAt: Date, asOf: Date, reason: Reason, applications: Int, documents: Int) {
        self.id = id
        self.purgedAt = purgedAt
        self.asOf = asOf
        self.reason = reason
        self.applications = applications
        self.documents = documents
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
