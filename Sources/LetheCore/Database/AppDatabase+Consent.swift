import Foundation
import GRDB

/// Why a consent could not be recorded.
public enum ConsentError: Error, Equatable, CustomStringConvertible {
    /// The requested end lies beyond the configured maximum after submission.
    case beyondMaximum(Date)
    /// The end is not after today.
    case notInFuture
    /// HR must say how consent was obtained.
    case missingEvidence
    case notFound

    public var description: String {
        switch self {
        case .beyondMaximum(let max): "Consent can run at most until \(DayFormat.string(from: max))."
        case .notInFuture: "The end of the consent must be after today."
        case .missingEvidence: "Say how the applicant gave consent, e.g. \"reply by e-mail of 3 March\"."
        case .notFound: "There is no such application."
        }
    }
}

extension AppDatabase {
    /// The applicant consents, on their private page, to keep the application `months` more months
    /// from now (capped at the policy's maximum after submission).
    public func giveConsent(tokenHash: Data, months: Int, noticeId: Int64?, policy: RetentionPolicy, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try JobApplication.filter(JobApplication.Columns.tokenHash == tokenHash).fetchOne(db) else { throw ConsentError.notFound }
            let requested = DayFormat.calendar.date(byAdding: .month, value: months, to: now)!
            let until = min(requested, policy.maximumEnd(submittedAt: application.submittedAt))
            guard until > now else { throw ConsentError.notInFuture }
            try Self.insertConsent(db, application: application, until: until, method: .applicant, by: nil, evidence: nil, noticeId: noticeId, policy: policy, at: now)
        }
    }

    /// HR records consent obtained by other means, with its evidence.
    public func recordConsent(applicationId: Int64, until: Date, evidence: String, by user: StaffUser, policy: RetentionPolicy, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try JobApplication.fetchOne(db, key: applicationId) else { throw ConsentError.notFound }
            guard !evidence.trimmingCharacters(in: .whitespaces).isEmpty else { throw ConsentError.missingEvidence }
            guard until > now else { throw ConsentError.notInFuture }
            let maximum = policy.maximumEnd(submittedAt: application.submittedAt)
            guard until <= maximum else { throw ConsentError.beyondMaximum(maximum) }
            try Self.insertConsent(db, application: application, until: until, method: .hr, by: user, evidence: evidence, noticeId: nil, policy: policy, at: now)
        }
    }

    private static func insertConsent(_ db: Database, application: JobApplication, until: Date, method: Consent.Method, by user: StaffUser?, evidence: String?, noticeId: Int64?, policy: RetentionPolicy, at now: Date) throws {
        let notice: Int64
        if let noticeId, let shown = try Notice.fetchOne(db, key: noticeId), shown.kind == .retention {
            notice = noticeId
        } else if let current = try currentNotice(db, kind: .retention) {
            notice = current.id!
        } else {
            throw DatabaseError(message: "no retention notice has been published")
        }
        var consent = Consent(id: nil, applicationId: application.id!, noticeId: notice, givenAt: now, until: until, method: method, recordedBy: user?.id, evidence: evidence, withdrawnAt: nil)
        try consent.insert(db)
        let actor: AuditActor = user.map { .staff($0.id!) } ?? .applicant
        try AuditLog.append(db, at: now, actor: actor, action: "consent.given", subjectType: "application", subjectId: application.id, detail: "consent=\(consent.id!) method=\(method.rawValue) notice=\(notice)")
        try updateRetention(db, applicationId: application.id!, policy: policy)
    }

    /// The applicant withdraws every standing consent; retention falls back at once.
    public func withdrawConsent(tokenHash: Data, policy: RetentionPolicy, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try JobApplication.filter(JobApplication.Columns.tokenHash == tokenHash).fetchOne(db) else { throw ConsentError.notFound }
            try db.execute(sql: "UPDATE consent SET withdrawn_at = ? WHERE application_id = ? AND withdrawn_at IS NULL", arguments: [now, application.id])
            guard db.changesCount > 0 else { return }
            try AuditLog.append(db, at: now, actor: .applicant, action: "consent.withdrawn", subjectType: "application", subjectId: application.id)
            try Self.updateRetention(db, applicationId: application.id!, policy: policy)
        }
    }

    /// Recomputes `retention_until` from the submission and the unwithdrawn consents.
    static func updateRetention(_ db: Database, applicationId: Int64, policy: RetentionPolicy) throws {
        guard var application = try JobApplication.fetchOne(db, key: applicationId) else { return }
        let ends = try Date.fetchAll(db, sql: "SELECT until FROM consent WHERE application_id = ? AND withdrawn_at IS NULL", arguments: [applicationId])
        application.retentionUntil = policy.retentionUntil(submittedAt: application.submittedAt, consentEnds: ends)
        try application.update(db, columns: ["retention_until"])
    }

    /// Every consent of an application, oldest first.
    public func consents(applicationId: Int64) async throws -> [Consent] {
        try await writer.read { db in try Consent.filter(Column("application_id") == applicationId).order(Column("id")).fetchAll(db) }
    }
}
