import Foundation
import GRDB

extension AppDatabase {
    /// Creates a staff account after checking its fields.
    @discardableResult
    public func createStaffUser(email: String, name: String, role: StaffUser.Role, password: String, at date: Date, actor: AuditActor) async throws -> StaffUser {
        let email = email.trimmingCharacters(in: .whitespaces)
        let name = name.trimmingCharacters(in: .whitespaces)
        guard ApplicationForm.isPlausibleEmail(email) else { throw StaffAccountError.invalidEmail }
        guard !name.isEmpty else { throw StaffAccountError.emptyName }
        try StaffPassword.check(password, email: email, name: name)
        let hash = try await StaffPassword.hash(password)
        return try await writer.write { db in
            if try StaffUser.filter(StaffUser.Columns.email == email).isEmpty(db) == false { throw StaffAccountError.emailTaken }
            var user = StaffUser(email: email, name: name, role: role, passwordHash: hash, createdAt: date)
            try user.insert(db)
            try AuditLog.append(db, at: date, actor: actor, action: "staff.created", subjectType: "staff_user", subjectId: user.id, detail: "role=\(role.rawValue)")
            return user
        }
    }

    /// The account with this e-mail address (case-insensitive), or nil.
    public func staffUser(email: String) async throws -> StaffUser? {
        try await writer.read { db in try StaffUser.filter(StaffUser.Columns.email == email).fetchOne(db) }
    }

    /// A staff account by id.
    public func staffUser(id: Int64) async throws -> StaffUser? {
        try await writer.read { db in try StaffUser.fetchOne(db, key: id) }
    }

    /// Every staff account, by name.
    public func staffUsers() async throws -> [StaffUser] {
        try await writer.read { db in try StaffUser.order(StaffUser.Columns.name).fetchAll(db) }
    }

    /// Disables or re-enables an account; disabling ends all its sessions at once.
    public func setStaffDisabled(id: Int64, disabled: Bool, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var target = try StaffUser.fetchOne(db, key: id) else { throw NotFound("staff account") }
            target.disabledAt = disabled ? now : nil
            try target.update(db, columns: [StaffUser.Columns.disabledAt])
            if disabled {
                try StaffSession.filter(StaffSession.Columns.staffUserId == id).deleteAll(db)
            }
            try AuditLog.append(db, at: now, actor: .staff(user), action: disabled ? "staff.disabled" : "staff.enabled", subjectType: "staff_user", subjectId: id)
        }
    }

    /// The panel of a vacancy, by name.
    public func panel(vacancyId: Int64) async throws -> [PanelMember] {
        try await writer.read { db in
            try PanelMembership
                .filter(PanelMembership.Columns.vacancyId == vacancyId)
                .including(required: PanelMembership.staffUser.order(StaffUser.Columns.name))
                .asRequest(of: PanelMember.self)
                .fetchAll(db)
        }
    }

    /// Seats a staff member on a vacancy's panel (no-op when already seated).
    public func addPanelMember(vacancyId: Int64, staffUserId: Int64, at date: Date, actor: AuditActor) async throws {
        try await writer.write { db in
            let membership = PanelMembership(vacancyId: vacancyId, staffUserId: staffUserId, addedAt: date)
            guard try !membership.exists(db) else { return }
            try membership.insert(db)
            try AuditLog.append(db, at: date, actor: actor, action: "panel.member_added", subjectType: "vacancy", subjectId: vacancyId, detail: "staff_user=\(staffUserId)")
        }
    }

    /// Takes a staff member off a vacancy's panel; effective on their next request.
    public func removePanelMember(vacancyId: Int64, staffUserId: Int64, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            let removed = try PanelMembership.filter(PanelMembership.Columns.vacancyId == vacancyId && PanelMembership.Columns.staffUserId == staffUserId).deleteAll(db)
            if removed > 0 {
                try AuditLog.append(db, at: now, actor: .staff(user), action: "panel.member_removed", subjectType: "vacancy", subjectId: vacancyId, detail: "staff_user=\(staffUserId)")
            }
        }
    }
}

/// A panel member as HR sees them.
public struct PanelMember: Decodable, FetchableRecord, Sendable {
    public var membership: PanelMembership
    public var user: StaffUser

    /// When they were seated.
    public var addedAt: Date { membership.addedAt }
}
