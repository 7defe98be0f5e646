import Foundation
import GRDB

/// One panel member's assessment of one application.
public struct Assessment: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var applicationId: Int64
    public var staffUserId: Int64
    /// Scores from 1 (weak) to 5 (strong).
    public var competencies: Int
    public var qualifications: Int
    public var experience: Int
    public var notes: String
    public var createdAt: Date
    public var updatedAt: Date

    public static let databaseTableName = "assessment"

    /// Creates an assessment.
    public init(id: Int64? = nil, applicationId: Int64, staffUserId: Int64, competencies: Int, qualifications: Int, experience: Int, notes: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.applicationId = applicationId
        self.staffUserId = staffUserId
        self.competencies = competencies
        self.qualifications = qualifications
        self.experience = experience
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case applicationId = "application_id"
        case staffUserId = "staff_user_id"
        case competencies, qualifications, experience, notes
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One step of an application's status history.
public struct StatusChange: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var applicationId: Int64
    public var status: JobApplication.Status
    public var changedBy: Int64?
    public var changedAt: Date

    public static let databaseTableName = "status_change"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case applicationId = "application_id"
        case status
        case changedBy = "changed_by"
        case changedAt = "changed_at"
    }
}
