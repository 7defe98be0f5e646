import Foundation
import GRDB

/// An application in the talent pool: its applicant's extended-retention consent is live.
public struct PoolEntry: Sendable {
    public var applicationId: Int64
    public var name: String
    public var vacancyId: Int64
    public var vacancyTitle: String
    public var submittedAt: Date
    public var consentUntil: Date
    public var tags: [String]
    /// The other vacancies it was proposed to, with their titles.
    public var proposedTo: [(id: Int64, title: String)]
}

/// Why the talent pool refused a change.
public enum PoolError: Error, Equatable {
    /// The application has no live consent (never given, withdrawn, or run out).
    case notInPool
    /// The vacancy is its own, or not public.
    case vacancyNotOpenToProposal
}

extension AppDatabase {
    /// The longest tag HR may add.
    public static let poolTagLimit = 60

    /// Every application whose consent is live at `now`, newest first; `search` matches the
    /// name, the vacancy applied to or a tag.
    public func pool(search: String?, at now: Date) async throws -> [PoolEntry] {
        try await writer.read { db in
            var sql: SQL = """
                SELECT a.id, a.name, a.vacancy_id, v.title, a.submitted_at,
                       (SELECT max(c.until) FROM consent c WHERE c.application_id = a.id AND c.withdrawn_at IS NULL) AS consent_until
                FROM application a JOIN vacancy v ON v.id = a.vacancy_id
                WHERE \(Self.liveConsent(of: "a.id", at: now))
                """
            if let search, !search.isEmpty {
                let pattern = "%" + Self.escapeLike(search) + "%"
                sql += " AND (a.name LIKE \(pattern) ESCAPE '\\' OR v.title LIKE \(pattern) ESCAPE '\\' OR EXISTS (SELECT 1 FROM pool_tag t WHERE t.application_id = a.id AND t.tag LIKE \(pattern) ESCAPE '\\'))"
            }
            sql += " ORDER BY a.submitted_at DESC, a.id DESC"
            return try Row.fetchAll(db, SQLRequest<Row>(literal: sql)).map { row in
                let id: Int64 = row[0]
                let tags = try String.fetchAll(db, sql: "SELECT tag FROM pool_tag WHERE application_id = ? ORDER BY tag", arguments: [id])
                let proposed = try Row.fetchAll(db, sql: """
                    SELECT v.id, v.title FROM pool_proposal p JOIN vacancy v ON v.id = p.vacancy_id WHERE p.application_id = ? ORDER BY p.proposed_at
                    """, arguments: [id]).map { (id: $0[0] as Int64, title: $0[1] as String) }
                return PoolEntry(applicationId: id, name: row[1], vacancyId: row[2], vacancyTitle: row[3], submittedAt: row[4], consentUntil: row[5], tags: tags, proposedTo: proposed)
            }
        }
    }

    /// Adds HR's free-text tag to a pooled application.
    public func addPoolTag(applicationId: Int64, tag: String, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            try Self.requireInPool(db, applicationId: applicationId, at: now)
            try db.execute(sql: "INSERT OR IGNORE INTO pool_tag (application_id, tag) VALUES (?, ?)", arguments: [applicationId, tag])
            try AuditLog.append(db, at: now, actor: .staff(user), action: "pool.tagged", subjectType: "application", subjectId: applicationId)
        }
    }

    /// Removes a tag.
    public func removePoolTag(applicationId: Int64, tag: String, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM pool_tag WHERE application_id = ? AND tag = ?", arguments: [applicationId, tag])
            try AuditLog.append(db, at: now, actor: .staff(user), action: "pool.untagged", subjectType: "application", subjectId: applicationId)
        }
    }

    /// Proposes a pooled application to another public vacancy: its panel may read and assess
    /// it while the consent lasts (``AccessPolicy``).
    public func propose(applicationId: Int64, toVacancy vacancyId: Int64, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            let application = try Self.requireInPool(db, applicationId: applicationId, at: now)
            guard vacancyId != application.vacancyId, let vacancy = try Vacancy.fetchOne(db, key: vacancyId), vacancy.isPublic else {
                throw PoolError.vacancyNotOpenToProposal
            }
            try db.execute(sql: "INSERT OR IGNORE INTO pool_proposal (application_id, vacancy_id, proposed_by, proposed_at) VALUES (?, ?, ?, ?)",
                           arguments: [applicationId, vacancyId, user.id, now])
            try AuditLog.append(db, at: now, actor: .staff(user), action: "pool.proposed", subjectType: "application", subjectId: applicationId, detail: "vacancy=\(vacancyId)")
        }
    }

    /// The vacancies an application was shown to from the talent pool, with when: for the
    /// applicant's own page.
    public func poolProposals(applicationId: Int64) async throws -> [(title: String, at: Date)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT v.title, p.proposed_at FROM pool_proposal p JOIN vacancy v ON v.id = p.vacancy_id WHERE p.application_id = ? ORDER BY p.proposed_at
                """, arguments: [applicationId]).map { (title: $0[0] as String, at: $0[1] as Date) }
        }
    }

    /// Takes an application out of the pool: its tags and proposals go (with its consent).
    static func leavePool(_ db: Database, applicationId: Int64) throws {
        try db.execute(sql: "DELETE FROM pool_proposal WHERE application_id = ?", arguments: [applicationId])
        try db.execute(sql: "DELETE FROM pool_tag WHERE application_id = ?", arguments: [applicationId])
    }

    @discardableResult
    private static func requireInPool(_ db: Database, applicationId: Int64, at now: Date) throws -> JobApplication {
        guard let application = try JobApplication.fetchOne(db, key: applicationId) else { throw NotFound("application") }
        let live = try Bool.fetchOne(db, SQLRequest<Bool>(literal: "SELECT \(liveConsent(of: "\(applicationId)", at: now))")) ?? false
        guard live else { throw PoolError.notInPool }
        return application
    }
}
