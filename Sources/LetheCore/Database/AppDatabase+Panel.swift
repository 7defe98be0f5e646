import Foundation
import GRDB

/// A row of a vacancy's applications list.
public struct ApplicationListRow: Sendable, FetchableRecord {
    public var id: Int64
    public var name: String
    public var status: JobApplication.Status
    public var submittedAt: Date
    /// Whether it was proposed to this vacancy from the talent pool (it was sent to another).
    public var fromPool: Bool
    /// Whether the viewer has assessed it.
    public var assessedByMe: Bool
    /// The mean of all the panel's scores; nil until the viewer has assessed it (blind scoring,
    /// see ``BlindScorecard``).
    public var averageScore: Double?

    /// Read by name without `Decodable`: a list page reads fifty, and the decoder with its
    /// column-name conversion (snake_case to camelCase, for every column of every row) was a
    /// tenth of the page's time (bench/README.md).
    public init(row: Row) throws {
        id = row["id"]
        name = row["name"]
        status = row["status"]
        submittedAt = row["submitted_at"]
        fromPool = row["from_pool"]
        assessedByMe = row["assessed_by_me"]
        averageScore = row["average_score"]
    }
}

/// How a vacancy's applications list is ordered.
public enum ApplicationSort: String, Sendable, CaseIterable {
    case newest, oldest, name, status

    var orderBy: String {
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
        // The counts are the triggers' (migration v13): `Vacancy.applications.count` joined and
        // grouped every application, a distinct count of 10,000 rows for a vacancy that has
        // them (17 ms of CPU for the panel's first page after signing in). A cached statement:
        // the query interface built the join (its key inflected by regular expressions) and
        // prepared it anew for every view, a third of the home's CPU (bench/README.md).
        try await writer.read { db in
            try PanelVacancy.fetchAll(db, SQLRequest(literal: """
                SELECT vacancy.*, (\(Self.countedApplications(where: "vacancy_id = vacancy.id"))) AS applicationCount
                FROM vacancy JOIN panel_membership ON panel_membership.vacancy_id = vacancy.id AND panel_membership.staff_user_id = \(userId)
                ORDER BY vacancy.status, vacancy.closes_on
                """, cached: true))
        }
    }

    /// How many applications the triggers of migration v13 have counted where `filter` (of
    /// `vacancy_id` and `status`) holds: the home's and the list's totals read them.
    private static func countedApplications(where filter: SQL) -> SQL {
        "SELECT coalesce(sum(n), 0) FROM application_count WHERE \(filter)"
    }

    /// One page of a vacancy's applications, optionally filtered by a search of name and e-mail
    /// address and by status, with what `viewer` may know of the panel's scores. Any page number
    /// is safe: below 1 shows the first page, past the end the last.
    public func applications(
        vacancyId: Int64, search: String?, status: JobApplication.Status? = nil, viewer: Int64? = nil,
        sort: ApplicationSort, page: Int, pageSize: Int, poolAt now: Date? = nil
    ) async throws -> ApplicationPage {
        precondition((1...1_000).contains(pageSize), "page size out of range")
        let mine: SQL = "EXISTS (SELECT 1 FROM assessment WHERE application_id = application.id AND staff_user_id = \(viewer ?? -1))"
        return try await writer.read { db in
            // With `poolAt`, also the applications proposed to this vacancy from the talent pool
            // whose consent is live then. Only a vacancy with proposals pays for the OR, which
            // keeps SQLite from walking the vacancy's index in the list's order.
            let proposed = try now != nil && Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM pool_proposal WHERE vacancy_id = ?)"), arguments: [vacancyId]) == true
            var filter: SQL = if let now, proposed {
                "(vacancy_id = \(vacancyId) OR id IN (SELECT p.application_id FROM pool_proposal p WHERE p.vacancy_id = \(vacancyId) AND \(Self.liveConsent(of: "p.application_id", at: now))))"
            } else {
                "vacancy_id = \(vacancyId)"
            }
            let searching = search.map { !$0.isEmpty } ?? false
            if let search, searching {
                // Literal and ASCII-case-insensitive, in the name or in the e-mail address
                // (migration v14's `search_text`); a text with the separator matches neither.
                filter += search.unicodeScalars.contains(Self.searchTextSeparator)
                    ? " AND 0"
                    : " AND instr(search_text, lower(\(search))) > 0"
            }
            if let status { filter += " AND status = \(status.rawValue)" }
            // Cached statements: the SQL's text is the same for every page of the same kind
            // (the values are arguments), and parsing it was a twentieth of a page's time.
            func rows(page: Int) throws -> [ApplicationListRow] {
                try ApplicationListRow.fetchAll(db, SQLRequest<ApplicationListRow>(literal: """
                    SELECT id, name, status, submitted_at, vacancy_id != \(vacancyId) AS from_pool, \(mine) AS assessed_by_me,
                           CASE WHEN \(mine) THEN (SELECT avg((competencies + qualifications + experience) / 3.0) FROM assessment WHERE application_id = application.id) END AS average_score
                    FROM application WHERE \(filter)
                    ORDER BY \(sql: sort.orderBy) LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
                    """, cached: true))
            }
            func count() throws -> Int {
                // The vacancy's own applications, all or in one status, are counted by triggers
                // (migration v13), whose table has the same `vacancy_id` and `status` the filter
                // then tests; a search or the pool's proposals are counted row by row.
                let sql: SQL = searching || proposed
                    ? "SELECT count(*) FROM application WHERE \(filter)"
                    : Self.countedApplications(where: filter)
                return try Int.fetchOne(db, SQLRequest<Int>(literal: sql, cached: true)) ?? 0
            }
            // A page that is not full tells the total itself: the count, a second walk over every
            // matching row (a search reads all of them), is only needed after a full page, or to
            // bring a page past the end back to the last one.
            var page = max(1, page)
            var found = try rows(page: page)
            let total: Int
            if found.count < pageSize, !found.isEmpty || page == 1 {
                total = (page - 1) * pageSize + found.count
            } else {
                total = try count()
                let last = ApplicationPage.pageCount(total: total, pageSize: pageSize)
                if page > last {
                    page = last
                    found = try rows(page: page)
                }
            }
            return ApplicationPage(rows: found, total: total, page: page, pageSize: pageSize)
        }
    }

    /// What keeps the name and the e-mail address apart in `search_text` (migration v14): a
    /// control character, which the forms refuse in both.
    static let searchTextSeparator: Unicode.Scalar = "\u{1F}"

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// The applications just before and after this one in its vacancy's list, newest first:
    /// `newer` is the one above it, `older` the one below.
    public func neighbours(of application: JobApplication) async throws -> (newer: Int64?, older: Int64?) {
        let id = application.id!, at = application.submittedAt, vacancy = application.vacancyId
        return try await writer.read { db in
            // Cached statements: every application page reads both. A row value, not
            // `submitted_at < ? OR (submitted_at = ? AND id < ?)`: SQLite seeks the index with it,
            // where the OR made it walk the vacancy's index from one end (all 10,000 entries for
            // the oldest application's "older", a fifth of its page).
            let newer = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT id FROM application WHERE vacancy_id = ? AND (submitted_at, id) > (?, ?)
                ORDER BY submitted_at, id LIMIT 1
                """), arguments: [vacancy, at, id])
            let older = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT id FROM application WHERE vacancy_id = ? AND (submitted_at, id) < (?, ?)
                ORDER BY submitted_at DESC, id DESC LIMIT 1
                """), arguments: [vacancy, at, id])
            return (newer, older)
        }
    }

    /// Moves an application to a new status and records who did it.
    public func changeStatus(applicationId: Int64, to status: JobApplication.Status, by user: StaffUser, at now: Date) async throws {
        try await changeStatus(applicationIds: [applicationId], inVacancy: nil, to: status, by: user, at: now)
    }

    /// Moves applications to a new status in one transaction and records who did it; those
    /// already in it are left as they are. With `message` (a template's subject and body, with
    /// `{name}` and `{vacancy}`), each one moved also gets that message, in the same transaction.
    /// Throws ``NotFound``, changing nothing, when one of them is gone or (with `vacancyId`)
    /// belongs to another vacancy. Returns how many changed.
    @discardableResult
    public func changeStatus(
        applicationIds: [Int64], inVacancy vacancyId: Int64?, to status: JobApplication.Status, by user: StaffUser, at now: Date,
        message: (subject: String, body: String)? = nil, compose: (@Sendable (LinkedApplication, SecretToken) -> OutgoingMail?)? = nil
    ) async throws -> Int {
        try await writer.write { db in
            var changed = 0
            for applicationId in applicationIds {
                guard var application = try JobApplication.fetchOne(db, key: applicationId),
                      vacancyId == nil || application.vacancyId == vacancyId
                else { throw NotFound("application") }
                guard application.status != status else { continue }
                let from = application.status
                application.status = status
                try application.update(db, columns: [JobApplication.Columns.status])
                var change = StatusChange(applicationId: applicationId, status: status, changedBy: user.id, changedAt: now)
                try change.insert(db)
                try AuditLog.append(db, at: now, actor: .staff(user), action: "application.status_changed", subjectType: "application", subjectId: applicationId, detail: "from=\(from.rawValue) to=\(status.rawValue)")
                if let message {
                    try Self.postStaffMessage(db, applicationId: applicationId, by: user, compose: compose, at: now) { linked in
                        StaffMessageForm.Valid(
                            subject: MessageTemplate.fill(message.subject, name: linked.name, vacancy: linked.vacancyTitle),
                            body: MessageTemplate.fill(message.body, name: linked.name, vacancy: linked.vacancyTitle)
                        )
                    }
                }
                changed += 1
            }
            return changed
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
