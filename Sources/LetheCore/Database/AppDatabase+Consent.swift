import Foundation
import GRDB

/// Why a consent could not be recorded.
public enum ConsentError: Error, Equatable, CustomStringConvertible {
    /// The requested end lies beyond the configured maximum after submission, whose day on the
    /// organisation's calendar (`YYYY-MM-DD`) is the last one allowed.
    case beyondMaximum(lastDay: String)
    /// The end is not after today.
    case notInFuture
    /// HR must say how consent was obtained.
    case missingEvidence

    public var description: String {
        switch self {
        case .beyondMaximum(let lastDay): "Consent can run at most until \(lastDay)."
        case .notInFuture: "The end of the consent must be after today."
        case .missingEvidence: "Say how the applicant gave consent, e.g. \"reply by e-mail of 3 March\"."
        }
    }
}

extension AppDatabase {
    /// The applicant consents, on their private page, to keep the application `months` more months
    /// from now (capped at the policy's maximum after submission), having been shown the
    /// retention notice in `shown` (``TermsChanged`` when it was replaced beyond the grace).
    public func giveConsent(linkHash: Data, months: Int, shown: ShownTerms, language: String = "en", policy: RetentionPolicy, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try Self.application(db, linkHash: linkHash) else { throw NotFound("application") }
            let notice = try Self.acknowledgeableNotice(db, kind: .retention, shown: shown.notices[.retention], at: now)
            let requested = policy.adding(months: months, to: now)
            let until = min(requested, policy.maximumEnd(submittedAt: application.submittedAt))
            guard until > now else { throw ConsentError.notInFuture }
            try Self.insertConsent(db, application: application, until: until, method: .applicant, by: nil, evidence: nil, notice: notice, language: notice.text(in: language).language, policy: policy, at: now)
        }
    }

    /// HR records consent obtained by other means, with its evidence, to the end of the day
    /// `lastDay` (`YYYY-MM-DD`); the maximum day itself is allowed, ending at the maximum.
    public func recordConsent(applicationId: Int64, lastDay: String, evidence: String, by user: StaffUser, policy: RetentionPolicy, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try JobApplication.fetchOne(db, key: applicationId) else { throw NotFound("application") }
            guard !evidence.trimmingCharacters(in: .whitespaces).isEmpty else { throw ConsentError.missingEvidence }
            guard let endOfDay = policy.endOfDay(lastDay) else { throw ConsentError.notInFuture }
            let maximum = policy.maximumEnd(submittedAt: application.submittedAt)
            let maximumDay = policy.day(of: maximum)
            guard lastDay <= maximumDay else { throw ConsentError.beyondMaximum(lastDay: maximumDay) }
            let until = min(endOfDay, maximum)
            guard until > now else { throw ConsentError.notInFuture }
            guard let notice = try Self.currentNotice(db, kind: .retention) else { throw NotFound("retention notice") }
            try Self.insertConsent(db, application: application, until: until, method: .hr, by: user, evidence: evidence, notice: notice, language: notice.text(in: application.language).language, policy: policy, at: now)
        }
    }

    private static func insertConsent(_ db: Database, application: JobApplication, until: Date, method: Consent.Method, by user: StaffUser?, evidence: String?, notice: Notice, language: String, policy: RetentionPolicy, at now: Date) throws {
        var consent = Consent(applicationId: application.id!, noticeId: notice.id!, givenAt: now, until: until, method: method, recordedBy: user?.id, evidence: evidence, language: language)
        try consent.insert(db)
        let actor: AuditActor = user.map { .staff($0.id!) } ?? .applicant
        try AuditLog.append(db, at: now, actor: actor, action: "consent.given", subjectType: "application", subjectId: application.id, detail: "consent=\(consent.id!) method=\(method.rawValue) notice=\(notice.id!)")
        try updateRetention(db, applicationId: application.id!, policy: policy)
    }

    /// The applicant withdraws every standing consent; retention falls back at once.
    public func withdrawConsent(linkHash: Data, policy: RetentionPolicy, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try Self.application(db, linkHash: linkHash) else { throw NotFound("application") }
            let withdrawn = try Consent.filter(Consent.Columns.applicationId == application.id! && Consent.Columns.withdrawnAt == nil)
                .updateAll(db, Consent.Columns.withdrawnAt.set(to: now))
            guard withdrawn > 0 else { return }
            // Out of the talent pool, and out of every panel it was proposed to.
            try Self.leavePool(db, applicationId: application.id!)
            try AuditLog.append(db, at: now, actor: .applicant, action: "consent.withdrawn", subjectType: "application", subjectId: application.id)
            try Self.updateRetention(db, applicationId: application.id!, policy: policy)
        }
    }

    /// Recomputes `retention_until` from the submission and the unwithdrawn consents.
    static func updateRetention(_ db: Database, applicationId: Int64, policy: RetentionPolicy) throws {
        guard var application = try JobApplication.fetchOne(db, key: applicationId) else { return }
        let ends = try Consent.filter(Consent.Columns.applicationId == applicationId && Consent.Columns.withdrawnAt == nil)
            .select(Consent.Columns.until, as: Date.self).fetchAll(db)
        application.retentionUntil = policy.retentionUntil(submittedAt: application.submittedAt, consentEnds: ends)
        try application.update(db, columns: [JobApplication.Columns.retentionUntil])
    }
}
