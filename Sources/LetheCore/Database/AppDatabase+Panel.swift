import Foundation
import GRDB

/// A row of a vacancy's applications list.
public struct ApplicationListRow: Sendable, Decodable, FetchableRecord {
    public var id: Int64
    public var name: String
    public var status: JobApplication.Status
    public var submittedAt: Date

    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
}

/// How a vacancy's applications list is ordered.
public enum ApplicationSort: String, Sendable, CaseIterable {
    case newest, oldest, name, status

    var ordering: [SQLOrderingTerm] {
        let c = JobApplication.Columns.self
        return switch self {
        case .newest: [c.submittedAt.desc, c.id.desc]
        case .oldest: [c.submittedAt.asc, c.id.asc]
        case .name: [c.name.collating(.nocase).asc, c.id.asc]
        case .status: [c.status.asc, c.submittedAt.desc, c.id.desc]
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
    public var pageCount: Int { Self.pageCount(total: total, pageSize: pageSize) }

    static func pageCount(total: Int, pageSize: Int) -> Int { max(1, (total + pageSize - 1) / pageSize) }
}

/// A vacancy on the user's panels, with how many applications it has.
public struct PanelVacancy: Sendable, Decodable, FetchableRecord {
    public var vacancy: Vacancy
    public var applicationCount: Int
}

extension AppDatabase {
    /// The vacancies on whose panel the user sits, with their application counts.
    public func panelVacancies(for userId: Int64) async throws -> [PanelVacancy] {
        try await writer.read { db in
            try Vacancy
                .joining(required: Vacancy.panelMemberships.filter(PanelMembership.Columns.staffUserId == userId))
                .annotated(with: Vacancy.applications.count)
                .order(Vacancy.Columns.status, Vacancy.Columns.closesOn)
                .asRequest(of: PanelVacancy.self)
                .fetchAll(db)
        }
    }

    /// One page of a vacancy's applications, optionally filtered by a name search. Any page
    /// number is safe: below 1 shows the first page, past the end the last.
    public func applications(vacancyId: Int64, search: String?, sort: ApplicationSort, page: Int, pageSize: Int) async throws -> ApplicationPage {
        precondition((1...1_000).contains(pageSize), "page size out of range")
        return try await writer.read { db in
            var request = JobApplication.filter(JobApplication.Columns.vacancyId == vacancyId)
            if let search, !search.isEmpty {
                request = request.filter(JobApplication.Columns.name.like("%\(Self.escapeLike(search))%", escape: "\\"))
            }
            let total = try request.fetchCount(db)
            let page = min(max(1, page), ApplicationPage.pageCount(total: total, pageSize: pageSize))
            let rows = try request
                .select(JobApplication.Columns.id, JobApplication.Columns.name, JobApplication.Columns.status, JobApplication.Columns.submittedAt)
                .order(sort.ordering)
                .limit(pageSize, offset: (page - 1) * pageSize)
                .asRequest(of: ApplicationListRow.self)
                .fetchAll(db)
            return ApplicationPage(rows: rows, total: total, page: page, pageSize: pageSize)
        }
    }

    private static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// A document of an application, if it belongs to it.
    public func document(id: Int64, applicationId: Int64) async throws -> Document? {
        try await writer.read { db in
            try Document.filter(key: id).filter(Document.Columns.applicationId == applicationId).fetchOne(db)
        }
    }

    /// Moves an application to a new status and records who did it.
    public func changeStatus(applicationId: Int64, to status: JobApplication.Status, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var application = try JobApplication.fetchOne(db, key: applicationId) else { throw NotFound("application") }
            guard application.status != status else { return }
            let from = application.status
            application.status = status
            try application.update(db, columns: [JobApplication.Columns.status])
            var change = StatusChange(applicationId: applicationId, status: status, changedBy: user.id, changedAt: now)
            try change.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "application.status_changed", subjectType: "application", subjectId: applicationId, detail: "from=\(from.rawValue) to=\(status.rawValue)")
        }
    }

    /// Creates or replaces the user's own assessment of an application.
    public func saveAssessment(applicationId: Int64, by user: StaffUser, _ scores: AssessmentForm.Valid, at now: Date) async throws {
        try await writer.write { db in
            guard try JobApplication.exists(db, key: applicationId) else { throw NotFound("application") }
            let mine = Assessment.filter(Assessment.Columns.applicationId == applicationId && Assessment.Columns.staffUserId == user.id!)
            var assessment = try mine.fetchOne(db)
                ?? Assessment(applicationId: applicationId, staffUserId: user.id!, competencies: 0, qualifications: 0, experience: 0, notes: "", createdAt: now, updatedAt: now)
            let isNew = assessment.id == nil
            assessment.competencies = scores.competencies
            assessment.qualifications = scores.qualifications
            assessment.experience = scores.experience
            assessment.notes = scores.notes
            assessment.updatedAt = now
            try assessment.save(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: isNew ? "assessment.created" : "assessment.updated", subjectType: "application", subjectId: applicationId, detail: "assessment=\(assessment.id!)")
        }
    }
}
