import Foundation

/// The one rule for when an application expires.
///
/// `retention_until` is the later of submission + the retention period and the end of the
/// latest consent to extended retention that has not been withdrawn.
public struct RetentionPolicy: Sendable {
    /// How long an application is kept without extended consent, in months (default 6).
    public var periodMonths: Int
    /// The furthest extended consent may reach, in months after submission (default 24).
    public var maximumMonths: Int

    /// Creates a policy.
    public init(periodMonths: Int = 6, maximumMonths: Int = 24) {
        self.periodMonths = periodMonths
        self.maximumMonths = maximumMonths
    }

    /// The end of the ordinary retention period.
    public func baseEnd(submittedAt: Date) -> Date {
        DayFormat.calendar.date(byAdding: .month, value: periodMonths, to: submittedAt)!
    }

    /// The latest date extended consent may run to.
    public func maximumEnd(submittedAt: Date) -> Date {
        DayFormat.calendar.date(byAdding: .month, value: maximumMonths, to: submittedAt)!
    }

    /// When the application must be erased, given the ends of its unwithdrawn consents.
    public func retentionUntil(submittedAt: Date, consentEnds: [Date]) -> Date {
        let base = baseEnd(submittedAt: submittedAt)
        let cap = maximumEnd(submittedAt: submittedAt)
        let consented = consentEnds.map { min($0, cap) }.max()
        return max(base, consented ?? base)
    }
}
