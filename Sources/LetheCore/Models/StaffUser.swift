import Foundation
import GRDB

/// An account of the organisation's staff.
public struct StaffUser: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
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
    /// The language (`da`, `en`) the user last read Lethe in; nil until they sign in. Mail to
    /// them uses it.
    public var language: String?

    public static let databaseTableName = "staff_user"

    /// The panels the user sits on.
    static let panelMemberships = hasMany(PanelMembership.self)

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let email = Column("email")
        public static let name = Column("name")
        public static let passwordHash = Column("password_hash")
        public static let disabledAt = Column("disabled_at")
        public static let language = Column("language")
        public static let role = Column("role")
        public static let createdAt = Column("created_at")
    }

    /// Creates an account.
    public init(id: Int64? = nil, email: String, name: String, role: Role, passwordHash: String, disabledAt: Date? = nil, createdAt: Date, language: String? = nil) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.disabledAt = disabledAt
        self.createdAt = createdAt
        self.language = language
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

// Column by column, not through `Codable`: read or written on every request (see `SnakeCaseRecord`).
extension StaffUser {
    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        email = try row.decode(forColumn: Columns.email)
        name = try row.decode(forColumn: Columns.name)
        role = try row.decode(forColumn: Columns.role)
        passwordHash = try row.decode(forColumn: Columns.passwordHash)
        disabledAt = try row.decode(forColumn: Columns.disabledAt)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        language = try row.decode(forColumn: Columns.language)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.email] = email
        container[Columns.name] = name
        container[Columns.role] = role
        container[Columns.passwordHash] = passwordHash
        container[Columns.disabledAt] = disabledAt
        container[Columns.createdAt] = createdAt
        container[Columns.language] = language
    }
}

/// A staff member's name, as shown beside what they recorded.
public struct StaffName: Decodable, Sendable, FetchableRecord {
    public var name: String
}
