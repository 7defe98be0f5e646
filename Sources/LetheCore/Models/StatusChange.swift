import Foundation
import GRDB

/// One step of an application's status history.
public struct StatusChange: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    public var id: Int64?
    public var applicationId: Int64
    public var status: JobApplication.Status
    public var changedBy: Int64?
    public var changedAt: Date

    public static let databaseTableName = "status_change"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let changedBy = Column("changed_by")
    }

    /// The staff member who made the change (gone when their account was deleted).
    public static let author = belongsTo(StaffUser.self, key: "author", using: ForeignKey([Columns.changedBy]))

    /// Records a change.
    public init(id: Int64? = nil, applicationId: Int64, status: JobApplication.Status, changedBy: Int64?, changedAt: Date) {
        self.id = id
        self.applicationId = applicationId
        self.status = status
        self.changedBy = changedBy
        self.changedAt = changedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
