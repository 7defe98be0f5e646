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

    /// The ordinary period as a reader says it: "six months", "1 month", "18 months".
    public var periodText: String { Self.monthsText(periodMonths) }

    /// A number of months as a reader says it.
    public static func monthsText(_ months: Int) -> String {
        let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
        let number = months < words.count ? words[months] : String(months)
        return "\(number) month\(months == 1 ? "" : "s")"
    }

    /// When the application must be erased, given the ends of its unwithdrawn consents.
    public func retentionUntil(submittedAt: Date, consentEnds: [Date]) -> Date {
        let base = baseEnd(submittedAt: submittedAt)
        let cap = maximumEnd(submittedAt: submittedAt)
        let consented = consentEnds.map { min($0, cap) }.max()
        return max(base, consented ?? base)
    }
}
