import Foundation
import GRDB

/// A staff member's seat on a vacancy's hiring panel.
public struct PanelMembership: Codable, Sendable, SnakeCaseRecord, PersistableRecord {
    public var vacancyId: Int64
    public var staffUserId: Int64
    public var addedAt: Date

    public static let databaseTableName = "panel_membership"

    /// The table's columns.
    public enum Columns {
        public static let vacancyId = Column("vacancy_id")
        public static let staffUserId = Column("staff_user_id")
        public static let addedAt = Column("added_at")
    }

    /// The member.
    public static let staffUser = belongsTo(StaffUser.self, key: "user")

    /// Creates a membership.
    public init(vacancyId: Int64, staffUserId: Int64, addedAt: Date) {
        self.vacancyId = vacancyId
        self.staffUserId = staffUserId
        self.addedAt = addedAt
    }
}
