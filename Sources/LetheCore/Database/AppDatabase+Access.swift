import Foundation
import GRDB

extension AppDatabase {
    /// Asks ``AccessPolicy`` whether `user` may do `action` on the vacancy, with the facts read now.
    public func authorize(_ user: StaffUser, _ action: AccessPolicy.Action, vacancyId: Int64) async throws -> Bool {
        let isMember = try await writer.read { db in
            try PanelMembership.filter(PanelMembership.Columns.vacancyId == vacancyId && PanelMembership.Columns.staffUserId == user.id!).fetchCount(db) > 0
        }
        return AccessPolicy.permits(action, .init(role: user.role, isDisabled: user.disabledAt != nil, isPanelMember: isMember))
    }

    /// The vacancy an application belongs to, or nil when there is no such application.
    public func vacancyId(ofApplication id: Int64) async throws -> Int64? {
        try await writer.read { db in
            try JobApplication.filter(key: id).select(JobApplication.Columns.vacancyId, as: Int64.self).fetchOne(db)
        }
    }

    /// Appends an audit event in its own transaction (views, downloads, denials).
    public func audit(_ action: String, actor: AuditActor, subjectType: String?, subjectId: Int64?, detail: String = "", at now: Date) async throws {
        try await writer.write { db in
            try AuditLog.append(db, at: now, actor: actor, action: action, subjectType: subjectType, subjectId: subjectId, detail: detail)
        }
    }

    /// The one record of a refusal: an `access.denied` event naming who, what they wanted and
    /// on what (`action=<what>`), never why, so a denial reveals nothing in the log either.
    public func recordDenial(of user: StaffUser, _ action: String, subjectType: String, subjectId: Int64?, at now: Date) async throws {
        try await audit("access.denied", actor: .staff(user), subjectType: subjectType, subjectId: subjectId, detail: "action=\(action)", at: now)
    }
}
