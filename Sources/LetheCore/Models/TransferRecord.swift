import Foundation
import GRDB

/// A record that an application was shared with a third-country partner.
public struct TransferRecord: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    public var id: Int64?
    public var applicationId: Int64
    public var destinationId: Int64
    /// What was shared, e.g. "CV and cover letter".
    public var what: String
    /// The day it was shared, `YYYY-MM-DD`.
    public var sharedOn: String
    public var recordedBy: Int64?
    public var createdAt: Date

    public static let databaseTableName = "transfer_record"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let applicationId = Column("application_id")
        public static let destinationId = Column("destination_id")
    }

    /// The partner it went to.
    public static let destination = belongsTo(TransferDestination.self, key: "destination")

    /// Creates a record.
    public init(id: Int64? = nil, applicationId: Int64, destinationId: Int64, what: String, sharedOn: String, recordedBy: Int64?, createdAt: Date) {
        self.id = id
        self.applicationId = applicationId
        self.destinationId = destinationId
        self.what = what
        self.sharedOn = sharedOn
        self.recordedBy = recordedBy
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
