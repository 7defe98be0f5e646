import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// The talent pool: an application with live extended-retention consent can be proposed to
/// another vacancy, whose panel reads and assesses it until the consent is withdrawn.
@Suite struct TalentPoolTests {
    @Test func aProposedApplicationIsSeenByThatPanelOnlyAndOnlyWhileTheConsentLasts() async throws {
        let harness = try await WebHarness()
        let first = try await harness.makeVacancy(title: "Archivist")
        let second = try await harness.makeVacancy(title: "Librarian")
        let third = try await harness.makeVacancy(title: "Curator")
        let receipt = try await harness.submit(to: first, cv: try Fixtures.data("cv.pdf"))
        let (applicationId, documentId) = try harness.onlyApplication()
        let hr = try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.makeStaff("bo@example.org", panels: [second])
        try await harness.makeStaff("cy@example.org", panels: [third])
        let page = "/staff/applications/\(applicationId)"
        try await harness.withClient { client in
            let hrBrowser = Browser(client)
            try await hrBrowser.signIn("hr@example.org", WebHarness.password)
            // Without consent the application is not in the pool.
            #expect(!String(buffer: try await hrBrowser.get("/hr/pool").body).contains("Ada Applicant"))
            let refused = try await hrBrowser.post("/hr/pool/\(applicationId)/propose", ["vacancy_id": "\(second.id!)"], csrfFrom: "/hr/pool")
            #expect(refused.status == .conflict)

            let inAYear = DayFormat.string(from: harness.options.clock.now.addingTimeInterval(300 * 86_400))
            try await harness.database.recordConsent(applicationId: applicationId, lastDay: inAYear, evidence: "letter", by: hr, policy: harness.options.retentionPolicy, at: harness.options.clock.now)
            #expect(try await hrBrowser.post("/hr/pool/\(applicationId)/tags", ["tag": "cataloguing"], csrfFrom: "/hr/pool").status == .seeOther)
            let searched = try await hrBrowser.post("/hr/pool/search", ["q": "catalog"], csrfFrom: "/hr/pool")
            let results = try #require(searched.headers[.location])
            #expect(!results.contains("catalog"))
            let pool = String(buffer: try await hrBrowser.get(results).body)
            #expect(pool.contains("Ada Applicant") && pool.contains(#"<span class="tag">cataloguing</span>"#))
            // Its own vacancy is not offered, and cannot be forced.
            #expect(!pool.contains(#"<option value="\#(first.id!)">"#))
            #expect(try await hrBrowser.post("/hr/pool/\(applicationId)/propose", ["vacancy_id": "\(first.id!)"], csrfFrom: "/hr/pool").status == .unprocessableContent)
            #expect(try await hrBrowser.post("/hr/pool/\(applicationId)/propose", ["vacancy_id": "\(second.id!)"], csrfFrom: "/hr/pool").status == .seeOther)

            // The second panel sees it in its list and reads, downloads and assesses it.
            let bo = Browser(client)
            try await bo.signIn("bo@example.org", WebHarness.password)
            let list = String(buffer: try await bo.get("/staff/vacancies/\(second.id!)").body)
            #expect(list.contains("Ada Applicant") && list.contains("from the talent pool"))
            let seen = String(buffer: try await bo.get(page).body)
            #expect(seen.contains("HR proposed this application to your vacancy from the talent pool"))
            #expect(!seen.contains(#"action="/staff/applications/\#(applicationId)/status""#))
            #expect(try await bo.get(page + "/documents/\(documentId)").status == .ok)
            #expect(try await bo.post(page + "/assessment", ["competencies": "4", "qualifications": "4", "experience": "4"], csrfFrom: page).status == .seeOther)
            #expect(try await bo.post(page + "/status", ["status": "rejected"], csrfFrom: page).status == .notFound)
            // The third panel does not.
            let cy = Browser(client)
            try await cy.signIn("cy@example.org", WebHarness.password)
            #expect(try await cy.get(page).status == .notFound)
            #expect(!String(buffer: try await cy.get("/staff/vacancies/\(third.id!)").body).contains("Ada Applicant"))

            // The applicant sees where it was shown, and withdrawing the consent takes it back.
            let mine = String(buffer: try await client.execute(uri: receipt, method: .get).body)
            #expect(mine.contains("Shown to other vacancies") && mine.contains("Librarian, since"))
            let applicant = Browser(client)
            let base = String(receipt.prefix { $0 != "?" })
            #expect(try await applicant.post(base + "/consent/withdraw", [:], csrfFrom: base).status == .seeOther)
            #expect(try await bo.get(page).status == .notFound)
            #expect(!String(buffer: try await bo.get("/staff/vacancies/\(second.id!)").body).contains("Ada Applicant"))
            #expect(!String(buffer: try await hrBrowser.get("/hr/pool").body).contains("Ada Applicant"))
        }
        #expect(try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pool_proposal")! + Int.fetchOne(db, sql: "SELECT count(*) FROM pool_tag")! } == 0)
        #expect(try harness.auditCount("pool.proposed") == 1)
    }
}
