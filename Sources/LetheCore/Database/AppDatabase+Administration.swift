import Foundation
import GRDB

/// A panel member as HR sees them.
public struct PanelMember: Sendable {
    public var user: StaffUser
    public var addedAt: Date
}

extension AppDatabase {
    /// Every vacancy, open ones first.
    public func allVacancies() async throws -> [Vacancy] {
        try await writer.read { db in
            try Vacancy.order(Vacancy.Columns.status, Vacancy.Columns.closesOn.desc).fetchAll(db)
        }
    }

    /// Creates a vacancy from HR's validated form.
    public func createVacancy(_ form: VacancyForm.Valid, by user: StaffUser, at now: Date) async throws -> Vacancy {
        let destinations = form.destination.map { [TransferDestination(vacancyId: 0, country: $0.country, recipient: $0.recipient, safeguard: $0.safeguard)] } ?? []
        return try await createVacancy(
            Vacancy(title: form.title, description: form.description, location: form.location, closesOn: form.closesOn, international: form.destination != nil, createdAt: now),
            destinations: destinations, actor: .staff(user.id!)
        )
    }

    /// Replaces a vacancy's text fields and closing day; its destinations are kept.
    public func updateVacancy(id: Int64, with form: VacancyForm.Valid, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var vacancy = try Vacancy.fetchOne(db, key: id) else { throw NotFound("vacancy") }
            vacancy.title = form.title
            vacancy.description = form.description
            vacancy.location = form.location
            vacancy.closesOn = form.closesOn
            vacancy.updatedAt = now
            try vacancy.update(db)
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "vacancy.updated", subjectType: "vacancy", subjectId: id)
        }
    }

    /// Closes or reopens a vacancy.
    public func setVacancyStatus(id: Int64, to status: Vacancy.Status, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var vacancy = try Vacancy.fetchOne(db, key: id) else { throw NotFound("vacancy") }
            vacancy.status = status
            vacancy.updatedAt = now
            try vacancy.update(db)
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: status == .closed ? "vacancy.closed" : "vacancy.reopened", subjectType: "vacancy", subjectId: id)
        }
    }

    /// The panel of a vacancy.
    public func panel(vacancyId: Int64) async throws -> [PanelMember] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT staff_user.*, panel_membership.added_at AS panel_added_at FROM staff_user
                JOIN panel_membership ON panel_membership.staff_user_id = staff_user.id
                WHERE panel_membership.vacancy_id = ? ORDER BY staff_user.name
                """, arguments: [vacancyId]).map { PanelMember(user: try StaffUser(row: $0), addedAt: $0["panel_added_at"]) }
        }
    }

    /// Takes a staff member off a vacancy's panel; effective on their next request.
    public func removePanelMember(vacancyId: Int64, staffUserId: Int64, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM panel_membership WHERE vacancy_id = ? AND staff_user_id = ?", arguments: [vacancyId, staffUserId])
            if db.changesCount > 0 {
                try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "panel.member_removed", subjectType: "vacancy", subjectId: vacancyId, detail: "staff_user=\(staffUserId)")
            }
        }
    }

    /// Every staff account.
    public func staffUsers() async throws -> [StaffUser] {
        try await writer.read { db in try StaffUser.order(Column("name")).fetchAll(db) }
    }

    /// Disables or re-enables an account; disabling ends all its sessions at once.
    public func setStaffDisabled(id: Int64, disabled: Bool, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var target = try StaffUser.fetchOne(db, key: id) else { throw NotFound("staff account") }
            target.disabledAt = disabled ? now : nil
            try target.update(db, columns: ["disabled_at"])
            if disabled {
                try db.execute(sql: "DELETE FROM session WHERE staff_user_id = ?", arguments: [id])
            }
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: disabled ? "staff.disabled" : "staff.enabled", subjectType: "staff_user", subjectId: id)
        }
    }
}
