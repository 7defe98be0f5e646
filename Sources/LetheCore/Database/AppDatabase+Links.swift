import Foundation
import GRDB

/// An application a message about its private link is written for.
public struct LinkedApplication: Sendable {
    public var applicationId: Int64
    public var name: String
    public var email: String
    public var vacancyTitle: String
    public var submittedAt: Date
    /// When the application will be erased.
    public var retentionUntil: Date
    /// The language the applicant applied in.
    public var language: String
}

extension AppDatabase {
    /// The application a private link opens: its own link, or an extra one a reminder or a
    /// message carried.
    static func applicationId(_ db: Database, linkHash: Data) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM application WHERE token_hash = ?", arguments: [linkHash])
            ?? Int64.fetchOne(db, sql: "SELECT application_id FROM private_link WHERE token_hash = ?", arguments: [linkHash])
    }

    /// The application a private link opens, or nil.
    static func application(_ db: Database, linkHash: Data) throws -> JobApplication? {
        try applicationId(db, linkHash: linkHash).flatMap { try JobApplication.fetchOne(db, key: $0) }
    }

    /// A further link to an application, for a message that must carry one (only its hash is
    /// stored). It works until the application is erased or its links are renewed.
    static func issueExtraLink(_ db: Database, applicationId: Int64, at now: Date) throws -> SecretToken {
        let token = SecretToken.generate()
        try db.execute(sql: "INSERT INTO private_link (token_hash, application_id, created_at) VALUES (?, ?, ?)", arguments: [token.hash, applicationId, now])
        return token
    }

    /// Applications matching `condition` (on `a`, the application, and `v`, its vacancy), by id.
    static func linkedApplications(_ db: Database, where condition: String, arguments: StatementArguments, limit: Int = -1) throws -> [LinkedApplication] {
        try Row.fetchAll(db, sql: """
            SELECT a.id, a.name, a.email, a.submitted_at, a.retention_until, a.language, v.title
            FROM application a JOIN vacancy v ON v.id = a.vacancy_id WHERE \(condition) ORDER BY a.id LIMIT \(limit)
            """, arguments: arguments).map {
            LinkedApplication(applicationId: $0["id"], name: $0["name"], email: $0["email"], vacancyTitle: $0["title"], submittedAt: $0["submitted_at"], retentionUntil: $0["retention_until"], language: $0["language"])
        }
    }

    /// Lost-link recovery: every live application of this address gets a fresh private link
    /// (the old ones stop working), mailed by `compose` in the same transaction. Returns how
    /// many; the caller answers the same either way. The audit records the request and each
    /// renewed application, never the address.
    @discardableResult
    public func renewLinks(email: String, compose: @Sendable (LinkedApplication, SecretToken) -> OutgoingMail?, at now: Date) async throws -> Int {
        try await writer.write { db in
            let applications = try Self.linkedApplications(db, where: "a.email = ? COLLATE NOCASE", arguments: [email])
            for application in applications {
                let token = SecretToken.generate()
                try JobApplication.filter(key: application.applicationId).updateAll(db, JobApplication.Columns.tokenHash.set(to: token.hash))
                try db.execute(sql: "DELETE FROM private_link WHERE application_id = ?", arguments: [application.applicationId])
                if let mail = compose(application, token) {
                    try Self.enqueue(db, mail, applicationId: application.applicationId, at: now)
                }
                try AuditLog.append(db, at: now, actor: .applicant, action: "application.link_renewed", subjectType: "application", subjectId: application.applicationId)
            }
            try AuditLog.append(db, at: now, actor: .applicant, action: "link.requested", subjectType: nil, subjectId: nil)
            return applications.count
        }
    }

    /// Queues the reminders due by `asOf`: one per application and erasure date, `lead` before
    /// that date, each with a link of its own to the consent section. None for an application
    /// already kept to the policy's maximum. Returns how many were queued.
    @discardableResult
    public func queueReminders(
        asOf: Date, lead: TimeInterval, policy: RetentionPolicy,
        compose: @Sendable (LinkedApplication, SecretToken) -> OutgoingMail?, at now: Date, batch: Int = 500
    ) async throws -> Int {
        var queued = 0
        var afterId: Int64 = 0
        while true {
            let start = afterId
            let (found, added, lastId) = try await writer.write { db -> (Int, Int, Int64) in
                let due = try Self.linkedApplications(db, where: """
                    a.id > ? AND a.retention_until > ? AND a.retention_until <= ?
                    AND NOT EXISTS (SELECT 1 FROM outbox_message o WHERE o.application_id = a.id AND o.kind = 'reminder' AND o.reminder_for = a.retention_until)
                    """, arguments: [start, asOf, asOf.addingTimeInterval(lead)], limit: batch)
                var added = 0
                for application in due where application.retentionUntil < policy.maximumEnd(submittedAt: application.submittedAt) {
                    let token = try Self.issueExtraLink(db, applicationId: application.applicationId, at: now)
                    guard let mail = compose(application, token) else { continue }
                    try Self.enqueue(db, mail, applicationId: application.applicationId, reminderFor: application.retentionUntil, at: now)
                    added += 1
                }
                return (due.count, added, due.last?.applicationId ?? start)
            }
            queued += added
            afterId = lastId
            if found < batch { return queued }
        }
    }
}
