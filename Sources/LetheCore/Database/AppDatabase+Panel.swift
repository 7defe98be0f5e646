import Foundation
import GRDB

/// A row of a vacancy's applications list.
public struct ApplicationListRow: Sendable, FetchableRecord, Decodable {
    public var id: Int64
    public var name: String
    public var status: JobApplication.Status
    public var submittedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, status
        case submittedAt = "submitted_at"
    }
}

/// How a vacancy's applications list is ordered.
public enum ApplicationSort: String, Sendable, CaseIterable {
    case newest, oldest, name, status

    var sql: String {
        switch self {
        case .newest: "submitted_at DESC, id DESC"
        case .oldest: "submitted_at ASC, id ASC"
        case .name: "name COLLATE NOCASE ASC, id ASC"
        case .status: "status ASC, submitted_at DESC, id DESC"
        }
    }
}

/// One page of a vacancy's applications.
public struct ApplicationPage: Sendable {
    public var rows: [ApplicationListRow]
    public var total: Int
    /// The page shown: the one asked for, brought into 1...pageCount.
    public var page: Int
    public var pageSize: Int

    /// How many pages there are (at least one, even when empty).
    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }

    /// The page to show when `requested` is asked for: a page past the end shows the last page.
    static func clamp(_ requested: Int, total: Int, pageSize: Int) -> Int {
        min(max(1, requested), max(1, (total + pageSize - 1) / pageSize))
    }
}

/// Everything the panel sees on an application's page.
public struct ApplicationDetail: Sendable {
    public var application: JobApplication
    public var vacancy: Vacancy
    public var documents: [Document]
    public var references: [Reference]
    public var history: [(change: StatusChange, by: String?)]
    public var assessments: [(assessment: Assessment, author: String)]
    public var referenceChecks: [Int64: [(check: ReferenceCheck, by: String?)]]
    public var transfers: [(record: TransferRecord, destination: TransferDestination)]
    /// The partners the applicant was told about when applying (removed ones included).
    public var acknowledgedDestinations: [TransferDestination]

    /// The partners a transfer may be recorded to now: told about, and not removed since.
    public var transferablePartners: [TransferDestination] {
        vacancy.international ? acknowledgedDestinations.filter { $0.removedAt == nil } : []
    }
}

extension AppDatabase {
    /// Asks ``AccessPolicy`` whether `user` may do `action` on the vacancy, with the facts read now.
    public func authorize(_ user: StaffUser, _ action: AccessPolicy.Action, vacancyId: Int64) async throws -> Bool {
        let isMember = try await writer.read { db in
            try PanelMembership.filter(Column("vacancy_id") == vacancyId && Column("staff_user_id") == user.id!).fetchCount(db) > 0
        }
        return AccessPolicy.permits(action, .init(role: user.role, isDisabled: user.disabledAt != nil, isPanelMember: isMember))
    }

    /// The vacancy an application belongs to, or nil when there is no such application.
    public func vacancyId(ofApplication id: Int64) async throws -> Int64? {
        try await writer.read { db in try Int64.fetchOne(db, sql: "SELECT vacancy_id FROM application WHERE id = ?", arguments: [id]) }
    }

    /// Appends an audit event in its own transaction (views, downloads, denials).
    public func audit(_ action: String, actor: AuditActor, subjectType: String?, subjectId: Int64?, detail: String = "", at now: Date) async throws {
        try await writer.write { db in
            try AuditLog.append(db, at: now, actor: actor, action: action, subjectType: subjectType, subjectId: subjectId, detail: detail)
        }
    }

    /// The vacancies on whose panel the user sits, with their application counts.
    public func panelVacancies(for userId: Int64) async throws -> [(vacancy: Vacancy, applications: Int)] {
        try await writer.read { db in
            let vacancies = try Vacancy.fetchAll(db, sql: """
                SELECT vacancy.* FROM vacancy JOIN panel_membership ON panel_membership.vacancy_id = vacancy.id
                WHERE panel_membership.staff_user_id = ? ORDER BY vacancy.status, vacancy.closes_on
                """, arguments: [userId])
            return try vacancies.map { vacancy in
                (vacancy, try Int.fetchOne(db, sql: "SELECT count(*) FROM application WHERE vacancy_id = ?", arguments: [vacancy.id!]) ?? 0)
            }
        }
    }

    /// One page of a vacancy's applications, optionally filtered by a name search. Any page
    /// number is safe: below 1 shows the first page, past the end the last.
    public func applications(vacancyId: Int64, search: String?, sort: ApplicationSort, page: Int, pageSize: Int) async throws -> ApplicationPage {
        precondition((1...1_000).contains(pageSize), "page size out of range")
        return try await writer.read { db in
            var filter = "vacancy_id = ?"
            var arguments: StatementArguments = [vacancyId]
            if let search, !search.isEmpty {
                let escaped = search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                filter += " AND name LIKE ? ESCAPE '\\'"
                _ = arguments.append(contentsOf: ["%\(escaped)%"])
            }
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM application WHERE \(filter)", arguments: arguments) ?? 0
            let page = ApplicationPage.clamp(page, total: total, pageSize: pageSize)
            _ = arguments.append(contentsOf: [pageSize, (page - 1) * pageSize])
            let rows = try ApplicationListRow.fetchAll(db, sql: """
                SELECT id, name, status, submitted_at FROM application WHERE \(filter)
                ORDER BY \(sort.sql) LIMIT ? OFFSET ?
                """, arguments: arguments)
            return ApplicationPage(rows: rows, total: total, page: page, pageSize: pageSize)
        }
    }

    /// The panel's view of one application.
    public func applicationDetail(id: Int64) async throws -> ApplicationDetail? {
        try await writer.read { db in
            guard let application = try JobApplication.fetchOne(db, key: id),
                  let vacancy = try Vacancy.fetchOne(db, key: application.vacancyId)
            else { return nil }
            let documents = try Document.filter(Document.Columns.applicationId == id).order(Column("id")).fetchAll(db)
            let references = try Reference.filter(Reference.Columns.applicationId == id).order(Reference.Columns.position).fetchAll(db)
            let history = try Row.fetchAll(db, sql: """
                SELECT status_change.*, staff_user.name AS author FROM status_change
                LEFT JOIN staff_user ON staff_user.id = status_change.changed_by
                WHERE application_id = ? ORDER BY status_change.id
                """, arguments: [id]).map { (try StatusChange(row: $0), $0["author"] as String?) }
            let assessments = try Row.fetchAll(db, sql: """
                SELECT assessment.*, staff_user.name AS author FROM assessment
                JOIN staff_user ON staff_user.id = assessment.staff_user_id
                WHERE application_id = ? ORDER BY assessment.id
                """, arguments: [id]).map { (try Assessment(row: $0), $0["author"] as String) }
            return ApplicationDetail(
                application: application, vacancy: vacancy, documents: documents, references: references,
                history: history, assessments: assessments, referenceChecks: try Self.referenceChecks(db, applicationId: id),
                transfers: try Self.transfers(db, applicationId: id),
                acknowledgedDestinations: try Self.acknowledgedDestinations(db, applicationId: id)
            )
        }
    }

    /// A document of an application, if it belongs to it.
    public func document(id: Int64, applicationId: Int64) async throws -> Document? {
        try await writer.read { db in
            try Document.filter(Column("id") == id && Document.Columns.applicationId == applicationId).fetchOne(db)
        }
    }

    /// Moves an application to a new status and records who did it.
    public func changeStatus(applicationId: Int64, to status: JobApplication.Status, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var application = try JobApplication.fetchOne(db, key: applicationId) else { throw NotFound("application") }
            guard application.status != status else { return }
            let from = application.status
            application.status = status
            try application.update(db, columns: ["status"])
            var change = StatusChange(id: nil, applicationId: applicationId, status: status, changedBy: user.id, changedAt: now)
            try change.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "application.status_changed", subjectType: "application", subjectId: applicationId, detail: "from=\(from.rawValue) to=\(status.rawValue)")
        }
    }

    /// Creates or replaces the user's own assessment of an application.
    public func saveAssessment(applicationId: Int64, by user: StaffUser, competencies: Int, qualifications: Int, experience: Int, notes: String, at now: Date) async throws {
        try await writer.write { db in
            guard try JobApplication.fetchOne(db, key: applicationId) != nil else { throw NotFound("application") }
            if var existing = try Assessment.filter(Column("application_id") == applicationId && Column("staff_user_id") == user.id!).fetchOne(db) {
                existing.competencies = competencies
                existing.qualifications = qualifications
                existing.experience = experience
                existing.notes = notes
                existing.updatedAt = now
                try existing.update(db)
                try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "assessment.updated", subjectType: "application", subjectId: applicationId, detail: "assessment=\(existing.id!)")
            } else {
                var assessment = Assessment(applicationId: applicationId, staffUserId: user.id!, competencies: competencies, qualifications: qualifications, experience: experience, notes: notes, createdAt: now, updatedAt: now)
                try assessment.insert(db)
                try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "assessment.created", subjectType: "application", subjectId: applicationId, detail: "assessment=\(assessment.id!)")
            }
        }
    }
}
