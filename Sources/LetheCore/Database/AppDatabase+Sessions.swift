import Foundation
import GRDB

extension AppDatabase {
    /// Starts a new session for the user and returns its id (for the cookie only).
    public func startSession(for user: StaffUser, at now: Date) async throws -> String {
        let token = SecretToken.generate()
        let session = StaffSession(idHash: token.hash, staffUserId: user.id!, createdAt: now, lastSeenAt: now)
        try await writer.write { db in
            try session.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "session.started", subjectType: "staff_user", subjectId: user.id)
        }
        return token.text
    }

    /// The signed-in user of a session id, if the session is alive and the account enabled.
    /// Touches the session so that the idle timeout restarts (at most once a minute), and
    /// remembers `language`, the one the request is answered in, when it changed.
    public func signedInUser(sessionId: String, at now: Date, policy: SessionPolicy, language: String? = nil) async throws -> StaffUser? {
        guard let hash = SecretToken(sessionId)?.hash else { return nil }
        let found = try await writer.read { db -> (StaffSession, StaffUser)? in
            // Cached statements: every staff request reads them.
            guard let session = try StaffSession.fetchOne(db.cachedStatement(sql: "SELECT * FROM session WHERE id_hash = ?"), arguments: [hash]),
                  let user = try StaffUser.fetchOne(db.cachedStatement(sql: "SELECT * FROM staff_user WHERE id = ?"), arguments: [session.staffUserId])
            else { return nil }
            return (session, user)
        }
        guard case (let session, var user)? = found, let userId = user.id else { return nil }
        guard policy.isAlive(session, at: now), user.disabledAt == nil else {
            try await endSession(sessionId: sessionId)
            return nil
        }
        let touch = now.timeIntervalSince(session.lastSeenAt) > 60
        let newLanguage = language.flatMap { $0 == user.language ? nil : $0 }
        if touch || newLanguage != nil {
            try await writer.write { db in
                if touch {
                    try StaffSession.filter(StaffSession.Columns.idHash == hash).updateAll(db, StaffSession.Columns.lastSeenAt.set(to: now))
                }
                if let newLanguage {
                    try StaffUser.filter(key: userId).updateAll(db, StaffUser.Columns.language.set(to: newLanguage))
                }
            }
        }
        if let newLanguage { user.language = newLanguage }
        return user
    }

    /// Ends one session (sign-out). Unknown ids are ignored.
    public func endSession(sessionId: String) async throws {
        guard let hash = SecretToken(sessionId)?.hash else { return }
        try await writer.write { db in
            try StaffSession.filter(StaffSession.Columns.idHash == hash).deleteAll(db)
        }
    }

    /// Removes sessions that have ended by time; returns how many (for the scheduler).
    @discardableResult
    public func removeExpiredSessions(at now: Date, policy: SessionPolicy) async throws -> Int {
        try await writer.write { db in
            try StaffSession
                .filter(StaffSession.Columns.lastSeenAt <= now.addingTimeInterval(-policy.idleTimeout) || StaffSession.Columns.createdAt <= now.addingTimeInterval(-policy.absoluteTimeout))
                .deleteAll(db)
        }
    }
}
