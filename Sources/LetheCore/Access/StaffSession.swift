import Foundation
import GRDB

/// A signed-in session. The id lives only in the user's cookie; the database keeps its hash.
public struct StaffSession: Codable, Sendable, SnakeCaseRecord, PersistableRecord {
    public var idHash: Data
    public var staffUserId: Int64
    public var createdAt: Date
    public var lastSeenAt: Date

    public static let databaseTableName = "session"

    /// The table's columns.
    public enum Columns {
        public static let idHash = Column("id_hash")
        public static let staffUserId = Column("staff_user_id")
        public static let createdAt = Column("created_at")
        public static let lastSeenAt = Column("last_seen_at")
    }
}

/// How long sessions last.
public struct SessionPolicy: Sendable {
    /// A session unused this long ends (default 30 minutes).
    public var idleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after sign-in, however busy (default 12 hours).
    public var absoluteTimeout: TimeInterval = 12 * 60 * 60

    /// The default policy.
    public init() {}

    /// Whether a session is still alive at `now`.
    public func isAlive(_ session: StaffSession, at now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeenAt) < idleTimeout && now.timeIntervalSince(session.createdAt) < absoluteTimeout
    }
}

// Column by column, not through `Codable`: read or written on every request (see `SnakeCaseRecord`).
extension StaffSession {
    public init(row: Row) throws {
        idHash = try row.decode(forColumn: Columns.idHash)
        staffUserId = try row.decode(forColumn: Columns.staffUserId)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        lastSeenAt = try row.decode(forColumn: Columns.lastSeenAt)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.idHash] = idHash
        container[Columns.staffUserId] = staffUserId
        container[Columns.createdAt] = createdAt
        container[Columns.lastSeenAt] = lastSeenAt
    }
}
