import Foundation
import GRDB

/// An account of the organisation's staff.
public struct StaffUser: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    /// What the account may do beyond panel work.
    public enum Role: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case hr, staff
    }

    public var id: Int64?
    public var email: String
    public var name: String
    public var role: Role
    public var passwordHash: String
    public var disabledAt: Date?
    public var createdAt: Date

    public static let databaseTableName = "staff_user"

    /// The table's columns.
    public enum Columns {
        public static let email = Column(CodingKeys.email)
    }

    /// Creates an account.
    public init(id: Int64? = nil, email: String, name: String, role: Role, passwordHash: String, disabledAt: Date? = nil, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.disabledAt = disabledAt
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id, email, name, role
        case passwordHash = "password_hash"
        case disabledAt = "disabled_at"
        case createdAt = "created_at"
    }
}

/// A staff member's seat on a vacancy's hiring panel.
public struct PanelMembership: Codable, Sendable, FetchableRecord, PersistableRecord {
    public var vacancyId: Int64
    public var staffUserId: Int64
    public var addedAt: Date

    public static let databaseTableName = "panel_membership"

    /// Creates a membership.
    public init(vacancyId: Int64, staffUserId: Int64, addedAt: Date) {
        self.vacancyId = vacancyId
        self.staffUserId = staffUserId
        self.addedAt = addedAt
    }

    enum CodingKeys: String, CodingKey {
        case vacancyId = "vacancy_id"
        case staffUserId = "staff_user_id"
        case addedAt = "added_at"
    }
}
