import Foundation
import GRDB

/// What HR sees on `/hr/retention`.
public struct RetentionDashboard: Sendable {
    /// An application that will be erased soon.
    public struct Expiring: Sendable {
        public var applicationId: Int64
        public var vacancyTitle: String
        public var name: String
        public var submittedAt: Date
        public var retentionUntil: Date
        /// The end of the latest standing consent, if any.
        public var consentUntil: Date?
    }

    /// Counts for one vacancy.
    public struct VacancyCount: Sendable {
        public var vacancyId: Int64
        public var title: String
        public var applications: Int
        public var withConsent: Int
        public var expiringSoon: Int
    }

    public var expiring: [Expiring]
    public var perVacancy: [VacancyCount]
    public var recentPurges: [PurgeRecord]
    /// Applications expiring in each of the next weeks, week 0 starting now.
    public var weeklyExpiries: [Int]
}

extension AppDatabase {
    /// The retention dashboard as of `now`: the next `days` days in detail, `weeks` weeks in counts.
    public func retentionDashboard(now: Date, days: Int = 30, weeks: Int = 26) async throws -> RetentionDashboard {
        let horizon = now.addingTimeInterval(Double(days) * 86_400)
        return try await writer.read { db in
            let expiring = try Row.fetchAll(db, sql: """
                SELECT application.id, vacancy.title, application.name, application.submitted_at, application.retention_until,
                       (SELECT max(until) FROM consent WHERE consent.application_id = application.id AND withdrawn_at IS NULL) AS consent_until
                FROM application JOIN vacancy ON vacancy.id = application.vacancy_id
                WHERE application.retention_until <= ? ORDER BY application.retention_until, application.id LIMIT 500
                """, arguments: [horizon]).map {
                RetentionDashboard.Expiring(applicationId: $0[0], vacancyTitle: $0[1], name: $0[2], submittedAt: $0[3], retentionUntil: $0[4], consentUntil: $0[5])
            }
            let perVacancy = try Row.fetchAll(db, sql: """
                SELECT vacancy.id, vacancy.title, count(application.id),
                       count(DISTINCT CASE WHEN consent.id IS NOT NULL THEN application.id END),
                       count(DISTINCT CASE WHEN application.retention_until <= ? THEN application.id END)
                FROM vacancy LEFT JOIN application ON application.vacancy_id = vacancy.id
                LEFT JOIN consent ON consent.application_id = application.id AND consent.withdrawn_at IS NULL
                GROUP BY vacancy.id ORDER BY vacancy.title
                """, arguments: [horizon]).map {
                RetentionDashboard.VacancyCount(vacancyId: $0[0], title: $0[1], applications: $0[2], withConsent: $0[3], expiringSoon: $0[4])
            }
            var weekly = [Int](repeating: 0, count: weeks)
            let end = now.addingTimeInterval(Double(weeks) * 7 * 86_400)
            let dates = try Date.fetchAll(db, sql: "SELECT retention_until FROM application WHERE retention_until < ?", arguments: [end])
            for date in dates {
                let week = max(0, Int(date.timeIntervalSince(now) / (7 * 86_400)))
                weekly[min(week, weeks - 1)] += 1
            }
            let purges = try PurgeRecord.order(Column("id").desc).limit(20).fetchAll(db)
            return RetentionDashboard(expiring: expiring, perVacancy: perVacancy, recentPurges: purges, weeklyExpiries: weekly)
        }
    }
}

extension AppDatabase {
    /// Applications by the applicant's exact e-mail address (case-insensitive), for HR answering
    /// an erasure or access request.
    public func applications(email: String) async throws -> [(application: JobApplication, vacancyTitle: String)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT application.*, vacancy.title AS vacancy_title FROM application JOIN vacancy ON vacancy.id = application.vacancy_id
                WHERE application.email = ? COLLATE NOCASE ORDER BY application.submitted_at DESC LIMIT 100
                """, arguments: [email]).map { (try JobApplication(row: $0), $0["vacancy_title"] as String) }
        }
    }
}
