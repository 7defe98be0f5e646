import Foundation
import GRDB

extension AppDatabase {
    /// Asks ``AccessPolicy`` whether `user` may do `action` on the vacancy, with the facts read now.
    public func authorize(_ user: StaffUser, _ action: AccessPolicy.Action, vacancyId: Int64) async throws -> Bool {
        let facts = try await writer.read { db in try Self.facts(db, user, vacancyId: vacancyId) }
        return AccessPolicy.permits(action, facts)
    }

    /// A vacancy, its current transfer destinations and the facts ``AccessPolicy`` decides on
    /// for `user` and it, in one read (every panel page about a vacancy starts with them); nil
    /// when there is no such vacancy.
    public func vacancyAccess(_ user: StaffUser, vacancyId: Int64) async throws -> (vacancy: Vacancy, destinations: [TransferDestination], facts: AccessPolicy.Facts)? {
        try await writer.read { db in
            guard let found = try Self.vacancy(db, id: vacancyId) else { return nil }
            return (found.vacancy, found.destinations, try Self.facts(db, user, vacancyId: vacancyId))
        }
    }

    /// The facts for `user` and a vacancy: a seat on its panel (the one membership check).
    private static func facts(_ db: Database, _ user: StaffUser, vacancyId: Int64) throws -> AccessPolicy.Facts {
        let isMember = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM panel_membership WHERE vacancy_id = ? AND staff_user_id = ?)"),
            arguments: [vacancyId, user.id!]) ?? false
        return .init(user, isPanelMember: isMember)
    }

    /// Asks ``AccessPolicy`` whether `user` may do `action` on an application, with the facts read
    /// now: a seat on the panel of its vacancy, or of a vacancy it was proposed to from the talent
    /// pool while its consent is live. Nil when there is no such application.
    public func authorize(_ user: StaffUser, _ action: AccessPolicy.Action, applicationId: Int64, at now: Date) async throws -> Bool? {
        try await accessFacts(user, applicationId: applicationId, at: now).map { AccessPolicy.permits(action, $0) }
    }

    /// The facts ``AccessPolicy`` decides on for `user` and an application, read now; nil when
    /// there is no such application. One read answers several actions (a page that shows or
    /// hides its deciding forms).
    public func accessFacts(_ user: StaffUser, applicationId: Int64, at now: Date) async throws -> AccessPolicy.Facts? {
        try await writer.read { db in try Self.accessFacts(db, user, applicationId: applicationId, at: now) }
    }

    /// The facts for `user` and an application, and the application's document `documentId`
    /// (nil when it has no such document), in one read: a download needs both, and each read
    /// is a hand-over to the pool's thread and a transaction (bench/README.md, thirteenth
    /// pass). Nil when there is no such application.
    public func documentAccess(_ user: StaffUser, applicationId: Int64, documentId: Int64?, at now: Date) async throws -> (facts: AccessPolicy.Facts, document: Document?)? {
        try await writer.read { db in
            guard let facts = try Self.accessFacts(db, user, applicationId: applicationId, at: now) else { return nil }
            let document = try documentId.flatMap {
                try Document.fetchOne(db.cachedStatement(sql: "SELECT * FROM document WHERE id = ? AND application_id = ?"), arguments: [$0, applicationId])
            }
            return (facts, document)
        }
    }

    private static func accessFacts(_ db: Database, _ user: StaffUser, applicationId: Int64, at now: Date) throws -> AccessPolicy.Facts? {
        // Every request about one application asks this first: its statements are cached, as
        // parsing them was an eighth of a CV download's CPU (bench/README.md, fifth pass).
        guard let vacancyId = try Int64.fetchOne(db.cachedStatement(sql: "SELECT vacancy_id FROM application WHERE id = ?"), arguments: [applicationId]) else { return nil }
        var facts = try Self.facts(db, user, vacancyId: vacancyId)
        facts.isPanelOfPoolProposal = try Bool.fetchOne(db, SQLRequest<Bool>(literal: """
            SELECT EXISTS (SELECT 1 FROM pool_proposal p JOIN panel_membership m ON m.vacancy_id = p.vacancy_id
                           WHERE p.application_id = \(applicationId) AND m.staff_user_id = \(user.id!) AND \(Self.liveConsent(of: "p.application_id", at: now)))
            """, cached: true)) ?? false
        return facts
    }

    /// "The application `application` (an SQL expression of its id) has a live consent at
    /// `now`": the one definition of being in the talent pool.
    static func liveConsent(of application: SQL, at now: Date) -> SQL {
        "EXISTS (SELECT 1 FROM consent c WHERE c.application_id = \(application) AND c.withdrawn_at IS NULL AND c.until > \(now))"
    }

    /// Appends an audit event on its own (views, downloads, denials): durable when this returns,
    /// committed together with the writes of other requests arriving meanwhile (``GroupCommit``).
    public func audit(_ action: String, actor: AuditActor, subjectType: String?, subjectId: Int64?, detail: String = "", at now: Date) async throws {
        try await groupCommit.write { db in
            _ = try AuditLog.append(db, at: now, actor: actor, action: action, subjectType: subjectType, subjectId: subjectId, detail: detail)
        }
    }

    /// The one record of a refusal: an `access.denied` event naming who, what they wanted and
    /// on what (`action=<what>`), never why, so a denial reveals nothing in the log either.
    public func recordDenial(of user: StaffUser, _ action: String, subjectType: String, subjectId: Int64?, at now: Date) async throws {
        try await audit("access.denied", actor: .staff(user), subjectType: subjectType, subjectId: subjectId, detail: "action=\(action)", at: now)
    }
}
