import Foundation
import Testing
import LetheCore

@Suite struct RetentionPolicyTests {
    let policy = RetentionPolicy()
    let submitted = DayFormat.date(from: "2026-01-31")!.addingTimeInterval(3600)

    @Test func withoutConsentTheApplicationIsKeptSixMonths() {
        let until = policy.retentionUntil(submittedAt: submitted, consentEnds: [])
        #expect(DayFormat.string(from: until) == "2026-07-31")
    }

    @Test func consentToALaterDateExtendsRetention() {
        let later = DayFormat.date(from: "2027-03-01")!
        #expect(policy.retentionUntil(submittedAt: submitted, consentEnds: [later]) == later)
    }

    @Test func consentEndingBeforeSixMonthsDoesNotShortenRetention() {
        let early = DayFormat.date(from: "2026-03-01")!
        #expect(policy.retentionUntil(submittedAt: submitted, consentEnds: [early]) == policy.baseEnd(submittedAt: submitted))
    }

    @Test func consentIsCappedAtTheMaximum() {
        let farAway = DayFormat.date(from: "2031-01-01")!
        let until = policy.retentionUntil(submittedAt: submitted, consentEnds: [farAway])
        #expect(DayFormat.string(from: until) == "2028-01-31")
    }

}

/// Months are counted on Copenhagen's calendar, across the daylight-saving changes of 28 March
/// and 31 October 2027 (and 29 March / 25 October 2026).
@Suite struct DaylightSavingTests {
    let policy = RetentionPolicy()
    func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    func local(_ date: Date) -> String {
        let c = policy.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    @Test func sentInSummerTimeAndErasedInWinterTimeAtTheSameWallClockTime() {
        // 14:30 summer time (UTC+2) on 15 September 2026 → 14:30 winter time (UTC+1) on 15 March 2027.
        let end = policy.baseEnd(submittedAt: instant("2026-09-15T12:30:00Z"))
        #expect(local(end) == "2027-03-15 14:30")
        #expect(end == instant("2027-03-15T13:30:00Z"))
    }

    @Test func sentInWinterTimeAndErasedInSummerTimeAcrossTheMarchChange() {
        // 10:00 winter time on 1 November 2026 → 10:00 summer time on 1 May 2027.
        let end = policy.baseEnd(submittedAt: instant("2026-11-01T09:00:00Z"))
        #expect(local(end) == "2027-05-01 10:00")
        #expect(end == instant("2027-05-01T08:00:00Z"))
    }

    @Test func aWallClockTimeTheMarchChangeSkipsMovesToTheNextThatExists() {
        // 02:30 on 28 September 2026; six months later 02:30 does not exist on 28 March 2027.
        let end = policy.baseEnd(submittedAt: instant("2026-09-28T00:30:00Z"))
        #expect(local(end).hasPrefix("2027-03-28 03:"))
        #expect(end > instant("2027-03-28T00:59:59Z"))
    }

    @Test func anApplicationSentJustAfterMidnightOnTheOctoberChangeKeepsItsDay() {
        // 00:30 on 31 October 2027, still summer time; 31 April does not exist, so 30 April 2028.
        let end = policy.baseEnd(submittedAt: instant("2027-10-30T22:30:00Z"))
        #expect(local(end) == "2028-04-30 00:30")
    }

    @Test func theEndOfAConsentDayIsTheEndOfThatDayInCopenhagen() throws {
        let summer = try #require(policy.endOfDay("2027-06-30"))
        #expect(summer == instant("2027-06-30T21:59:59Z"))
        let winter = try #require(policy.endOfDay("2027-12-31"))
        #expect(winter == instant("2027-12-31T22:59:59Z"))
        let changeDay = try #require(policy.endOfDay("2027-10-31"))
        #expect(changeDay == instant("2027-10-31T22:59:59Z"), "a 25-hour day")
        #expect(policy.endOfDay("2027-02-30") == nil)
        #expect(policy.day(of: instant("2027-06-30T22:30:00Z")) == "2027-07-01")
    }

    @Test func daysAreWrittenWithTheirZeros() {
        #expect(policy.day(of: instant("2027-01-04T12:00:00Z")) == "2027-01-04")
        #expect(DayFormat.string(from: instant("2027-09-09T23:59:59Z")) == "2027-09-09")
        #expect(DayFormat.string(from: instant("0999-12-31T00:00:00Z")) == "0999-12-31")
        #expect(DayFormat.string(from: instant("2028-02-29T08:00:00Z")) == "2028-02-29")
    }
}
