import Foundation
import GRDB

extension AppDatabase {
    /// The user changes their own password: the current one is required, and every other
    /// session of theirs ends (the one in use, `keepSessionId`, stays).
    public func changePassword(of user: StaffUser, current: String, new: String, confirmation: String, keepSessionId: String, at now: Date) async throws {
        guard try await StaffPassword.verify(current, hash: user.passwordHash) else { throw StaffAccountError.wrongCurrentPassword }
        guard new == confirmation else { throw StaffAccountError.passwordsDiffer }
        try StaffPassword.check(new, email: user.email, name: user.name)
        let hash = try await StaffPassword.hash(new)
        let keep = SecretToken(keepSessionId)?.hash ?? Data()
        try await writer.write { db in
            guard try StaffUser.fetchOne(db, key: user.id!) != nil else { throw NotFound("staff account") }
            try StaffUser.filter(key: user.id).updateAll(db, StaffUser.Columns.passwordHash.set(to: hash))
            try StaffSession.filter(StaffSession.Columns.staffUserId == user.id! && StaffSession.Columns.idHash != keep).deleteAll(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "staff.password_changed", subjectType: "staff_user", subjectId: user.id)
        }
    }

    /// Forces a new password: the account's sessions end, its password stops working, and a
    /// one-time code lets its owner set a new one. With `mail`, the code travels as a link in an
    /// e-mail queued in the same transaction (valid ``PasswordResetCode/linkLifetime``) and
    /// nothing is returned; without, the code is returned for HR to hand over in person (valid
    /// ``PasswordResetCode/lifetime``).
    @discardableResult
    public func resetPassword(staffUserId: Int64, actor: AuditActor, mail: (@Sendable (StaffUser, PasswordResetCode) -> OutgoingMail?)? = nil, at now: Date) async throws -> PasswordResetCode? {
        let code = mail == nil ? PasswordResetCode.generate() : PasswordResetCode.generateLink()
        let lifetime = mail == nil ? PasswordResetCode.lifetime : PasswordResetCode.linkLifetime
        return try await writer.write { db in
            guard let user = try StaffUser.fetchOne(db, key: staffUserId) else { throw NotFound("staff account") }
            try StaffUser.filter(key: staffUserId).updateAll(db, StaffUser.Columns.passwordHash.set(to: StaffPassword.decoyHash))
            try StaffSession.filter(StaffSession.Columns.staffUserId == staffUserId).deleteAll(db)
            try db.execute(sql: """
                INSERT INTO password_reset (staff_user_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(staff_user_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at, expires_at = excluded.expires_at
                """, arguments: [staffUserId, PasswordResetCode.hash(typed: code.text), now, now.addingTimeInterval(lifetime)])
            try AuditLog.append(db, at: now, actor: actor, action: "staff.password_reset", subjectType: "staff_user", subjectId: staffUserId, detail: mail == nil ? "by=code" : "by=mail")
            if let mail, let message = mail(user, code) {
                try Self.enqueue(db, message, applicationId: nil, staffUserId: staffUserId, at: now)
                return nil
            }
            return mail == nil ? code : nil
        }
    }

    /// Sets a new password with a one-time code; the code is used up and every session ends.
    /// Any mismatch (address, code, expiry) is the same ``StaffAccountError/invalidResetCode``.
    public func completePasswordReset(email: String, code: String, new: String, confirmation: String, at now: Date) async throws -> StaffUser {
        let found = try await writer.read { db -> (StaffUser, Data, Date)? in
            guard let user = try StaffUser.filter(StaffUser.Columns.email == email).fetchOne(db),
                  let row = try Row.fetchOne(db, sql: "SELECT code_hash, expires_at FROM password_reset WHERE staff_user_id = ?", arguments: [user.id])
            else { return nil }
            return (user, row["code_hash"], row["expires_at"])
        }
        guard let (user, stored, expires) = found, expires > now,
              Self.constantTimeEqual(stored, PasswordResetCode.hash(typed: code))
        else { throw StaffAccountError.invalidResetCode }
        guard new == confirmation else { throw StaffAccountError.passwordsDiffer }
        try StaffPassword.check(new, email: user.email, name: user.name)
        let hash = try await StaffPassword.hash(new)
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM password_reset WHERE staff_user_id = ? AND code_hash = ?", arguments: [user.id, stored])
            guard db.changesCount == 1 else { throw StaffAccountError.invalidResetCode }
            try StaffUser.filter(key: user.id).updateAll(db, StaffUser.Columns.passwordHash.set(to: hash))
            try StaffSession.filter(StaffSession.Columns.staffUserId == user.id!).deleteAll(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "staff.password_set", subjectType: "staff_user", subjectId: user.id)
        }
        return user
    }

    /// Removes one-time codes past their time; returns how many.
    @discardableResult
    public func removeExpiredResetCodes(at now: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM password_reset WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
