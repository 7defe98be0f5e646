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
