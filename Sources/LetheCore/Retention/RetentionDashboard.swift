import Foundation

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
