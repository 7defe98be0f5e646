import Crypto
import Foundation
import GRDB

/// A signed-in session. The id lives only in the user's cookie; the database keeps its hash.
public struct StaffSession: Codable, Sendable, FetchableRecord, PersistableRecord {
    public var idHash: Data
    public var staffUserId: Int64
    public var createdAt: Date
    public var lastSeenAt: Date

    public static let databaseTableName = "session"

    enum CodingKeys: String, CodingKey {
        case idHash = "id_hash"
        case staffUserId = "staff_user_id"
        case createdAt = "created_at"
        case lastSeenAt = "last_seen_at"
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

extension AppDatabase {
    /// Starts a new session for the user and returns its id (for the cookie only).
    public func startSession(for user: StaffUser, at now: Date) async throws -> String {
        let token = SecretToken.generate()
        let session = StaffSession(idHash: token.hash, staffUserId: user.id!, createdAt: now, lastSeenAt: now)
        try await writer.write { db in
            try session.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "session.started", subjectType: "staff_user", subjectId: user.id)
        }
        return token.text
    }

    /// The signed-in user of a session id, if the session is alive and the account enabled.
    /// Touches the session so that the idle timeout restarts (at most once a minute).
    public func signedInUser(sessionId: String, at now: Date, policy: SessionPolicy) async throws -> StaffUser? {
        guard let hash = SecretToken(sessionId)?.hash else { return nil }
        let found = try await writer.read { db -> (StaffSession, StaffUser)? in
            guard let session = try StaffSession.fetchOne(db, key: ["id_hash": hash]),
                  let user = try StaffUser.fetchOne(db, key: session.staffUserId)
            else { return nil }
            return (session, user)
        }
        guard let (session, user) = found else { return nil }
        guard policy.isAlive(session, at: now), user.disabledAt == nil else {
            try await endSession(sessionId: sessionId)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            try await writer.write { db in
                try db.execute(sql: "UPDATE session SET last_seen_at = ? WHERE id_hash = ?", arguments: [now, hash])
            }
        }
        return user
    }

    /// Ends one session (sign-out). Unknown ids are ignored.
    public func endSession(sessionId: String) async throws {
        guard let hash = SecretToken(sessionId)?.hash else { return }
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE id_hash = ?", arguments: [hash])
        }
    }

    /// Removes sessions that have ended by time; returns how many (for the scheduler).
    @discardableResult
    public func removeExpiredSessions(at now: Date, policy: SessionPolicy) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE last_seen_at <= ? OR created_at <= ?",
                           arguments: [now.addingTimeInterval(-policy.idleTimeout), now.addingTimeInterval(-policy.absoluteTimeout)])
            return db.changesCount
        }
    }
}
