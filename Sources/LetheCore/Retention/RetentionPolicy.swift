import Foundation

/// The one rule for when an application expires.
///
/// `retention_until` is the later of submission + the retention period and the end of the
/// latest consent to extended retention that has not been withdrawn.
///
/// Months are counted on the organisation's calendar (`timeZone`): an application sent at 14:30
/// in Copenhagen summer time is erased at 14:30 Copenhagen winter time six months later, not an
/// hour off, and a wall-clock time that a daylight-saving change skips moves to the next one
/// that exists.
public struct RetentionPolicy: Sendable {
    /// How long an application is kept without extended consent, in months (default 6).
    public var periodMonths: Int
    /// The furthest extended consent may reach, in months after submission (default 24).
    public var maximumMonths: Int
    /// The organisation's zone, in which months and days are counted.
    public var timeZone: TimeZone

    /// Creates a policy.
    public init(periodMonths: Int = 6, maximumMonths: Int = 24, timeZone: TimeZone = TimeZone(identifier: "Europe/Copenhagen")!) {
        self.periodMonths = periodMonths
        self.maximumMonths = maximumMonths
        self.timeZone = timeZone
    }

    /// The Gregorian calendar in the organisation's zone.
    public var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// `months` after `date`, on the organisation's calendar.
    public func adding(months: Int, to date: Date) -> Date {
        calendar.date(byAdding: .month, value: months, to: date)!
    }

    /// The last instant of a `YYYY-MM-DD` day on the organisation's calendar, or nil when it is
    /// not a real day.
    public func endOfDay(_ day: String) -> Date? {
        guard let utcStart = DayFormat.date(from: day) else { return nil }
        let parts = DayFormat.calendar.dateComponents([.year, .month, .day], from: utcStart)
        guard let start = calendar.date(from: parts), let next = calendar.date(byAdding: .day, value: 1, to: start) else { return nil }
        return next.addingTimeInterval(-1)
    }

    /// The `YYYY-MM-DD` day of `date` on the organisation's calendar.
    public func day(of date: Date) -> String {
        DayFormat.string(of: calendar.dateComponents([.year, .month, .day], from: date))
    }

    /// The end of the ordinary retention period.
    public func baseEnd(submittedAt: Date) -> Date {
        adding(months: periodMonths, to: submittedAt)
    }

    /// The latest date extended consent may run to.
    public func maximumEnd(submittedAt: Date) -> Date {
        adding(months: maximumMonths, to: submittedAt)
    }

    /// The ordinary period as an English reader says it: "six months", "1 month", "18 months".
    public var periodText: String { Self.monthsText(periodMonths) }

    /// A number of months as a reader of `language` (`en`, `da`) says it: "six months",
    /// "seks måneder". The one home of these words, for pages, mail and the default notices.
    public static func monthsText(_ months: Int, language: String = "en") -> String {
        let danish = language == "da"
        let words = danish
            ? ["nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"]
            : ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
        let number = months < words.count ? words[months] : String(months)
        if danish { return "\(number) måned\(months == 1 ? "" : "er")" }
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
