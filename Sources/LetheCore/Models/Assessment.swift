import Foundation
import GRDB

/// One panel member's assessment of one application.
public struct Assessment: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
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

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let applicationId = Column("application_id")
        public static let staffUserId = Column("staff_user_id")
    }

    /// The panel member who wrote it.
    public static let author = belongsTo(StaffUser.self, key: "author")

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
}
