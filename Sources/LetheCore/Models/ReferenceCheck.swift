import Foundation
import GRDB

/// A reference check a panel member made: who contacted whom, when, and what they learnt.
public struct ReferenceCheck: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    public var id: Int64?
    public var referenceId: Int64
    public var recordedBy: Int64?
    /// The day of the contact, `YYYY-MM-DD`.
    public var contactedOn: String
    public var summary: String
    public var createdAt: Date

    public static let databaseTableName = "reference_check"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let referenceId = Column("reference_id")
        public static let recordedBy = Column("recorded_by")
    }

    /// The staff member who recorded it (gone when their account was deleted).
    public static let author = belongsTo(StaffUser.self, key: "author", using: ForeignKey([Columns.recordedBy]))

    /// Creates a check.
    public init(id: Int64? = nil, referenceId: Int64, recordedBy: Int64?, contactedOn: String, summary: String, createdAt: Date) {
        self.id = id
        self.referenceId = referenceId
        self.recordedBy = recordedBy
        self.contactedOn = contactedOn
        self.summary = summary
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
