import Foundation
import GRDB

/// A reference check a panel member made: who contacted whom, when, and what they learnt.
public struct ReferenceCheck: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var referenceId: Int64
    public var recordedBy: Int64?
    /// The day of the contact, `YYYY-MM-DD`.
    public var contactedOn: String
    public var summary: String
    public var createdAt: Date

    public static let databaseTableName = "reference_check"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case referenceId = "reference_id"
        case recordedBy = "recorded_by"
        case contactedOn = "contacted_on"
        case summary
        case createdAt = "created_at"
    }
}

/// A record that an application was shared with a third-country partner.
public struct TransferRecord: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
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

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case applicationId = "application_id"
        case destinationId = "destination_id"
        case what
        case sharedOn = "shared_on"
        case recordedBy = "recorded_by"
        case createdAt = "created_at"
    }
}
