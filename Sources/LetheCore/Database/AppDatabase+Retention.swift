import Foundation
import GRDB

extension AppDatabase {
    /// The retention dashboard as of `now`: the next `days` days in detail, `weeks` weeks in counts.
    public func retentionDashboard(now: Date, days: Int = 30, weeks: Int = 26) async throws -> RetentionDashboard {
        let horizon = now.addingTimeInterval(Double(days) * 86_400)
        return try await writer.read { db in
            let expiring = try Row.fetchAll(db, sql: """
                SELECT application.id, vacancy.title AS vacancy_title, application.name, application.submitted_at, application.retention_until,
                       (SELECT max(until) FROM consent WHERE consent.application_id = application.id AND withdrawn_at IS NULL) AS consent_until
                FROM application JOIN vacancy ON vacancy.id = application.vacancy_id
                WHERE application.retention_until <= ? ORDER BY application.retention_until, application.id LIMIT 500
                """, arguments: [horizon]).map {
                RetentionDashboard.Expiring(
                    applicationId: $0["id"], vacancyTitle: $0["vacancy_title"], name: $0["name"], submittedAt: $0["submitted_at"],
                    retentionUntil: $0["retention_until"], consentUntil: $0["consent_until"]
                )
            }
            let perVacancy = try Row.fetchAll(db, sql: """
                SELECT vacancy.id, vacancy.title, count(application.id) AS applications,
                       count(DISTINCT CASE WHEN consent.id IS NOT NULL THEN application.id END) AS with_consent,
                       count(DISTINCT CASE WHEN application.retention_until <= ? THEN application.id END) AS expiring_soon
                FROM vacancy LEFT JOIN application ON application.vacancy_id = vacancy.id
                LEFT JOIN consent ON consent.application_id = application.id AND consent.withdrawn_at IS NULL
                GROUP BY vacancy.id ORDER BY vacancy.title
                """, arguments: [horizon]).map {
                RetentionDashboard.VacancyCount(
                    vacancyId: $0["id"], title: $0["title"], applications: $0["applications"], withConsent: $0["with_consent"], expiringSoon: $0["expiring_soon"]
                )
            }
            var weekly = [Int](repeating: 0, count: weeks)
            let end = now.addingTimeInterval(Double(weeks) * 7 * 86_400)
            let dates = try JobApplication.filter(JobApplication.Columns.retentionUntil < end).select(JobApplication.Columns.retentionUntil, as: Date.self).fetchAll(db)
            for date in dates {
                let week = max(0, Int(date.timeIntervalSince(now) / (7 * 86_400)))
                weekly[min(week, weeks - 1)] += 1
            }
            let purges = try PurgeRecord.order(PurgeRecord.Columns.id.desc).limit(20).fetchAll(db)
            return RetentionDashboard(expiring: expiring, perVacancy: perVacancy, recentPurges: purges, weeklyExpiries: weekly)
        }
    }
}

extension AppDatabase {
    /// Applications by the applicant's exact e-mail address (case-insensitive), for HR answering
    /// an erasure or access request.
    public func applications(email: String) async throws -> [ApplicationWithVacancy] {
        try await writer.read { db in
            try JobApplication
                .filter(JobApplication.Columns.email.collating(.nocase) == email)
                .including(required: JobApplication.vacancy)
                .order(JobApplication.Columns.submittedAt.desc)
                .limit(100)
                .asRequest(of: ApplicationWithVacancy.self)
                .fetchAll(db)
        }
    }
}

/// An application with its vacancy.
public struct ApplicationWithVacancy: Decodable, FetchableRecord, Sendable {
    public var application: JobApplication
    public var vacancy: Vacancy
}
