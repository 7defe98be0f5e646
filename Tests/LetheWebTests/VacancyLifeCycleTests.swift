import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// Draft, published, closed (by HR or by its last day passing), archived.
@Suite struct VacancyLifeCycleTests {
    @Test func aVacancyIsClosedAfterItsLastDayAndCanThenBeArchivedOutOfSight() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let vacancy = try await harness.makeVacancy(closesInDays: 2)
        let hr = try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.withClient { client in
            let browser = Browser(client)
            try await browser.signIn("hr@example.org", WebHarness.password)
            let page = "/hr/vacancies/\(vacancy.id!)"
            #expect(String(buffer: try await browser.get(page).body).contains("Stage: open"))
            // An open vacancy is not archived.
            let early = try await browser.post(page + "/archive", [:], csrfFrom: page)
            #expect(early.status == .conflict)
            #expect(String(buffer: early.body).contains("An open vacancy cannot be archived"))

            clock.advance(3 * 86_400)
            try await browser.signIn("hr@example.org", WebHarness.password)  // the session has timed out meanwhile
            let closed = String(buffer: try await browser.get(page).body)
            #expect(closed.contains("Stage: closed"))
            #expect(closed.contains("Its last day for applications has passed."))
            #expect(String(buffer: try await browser.get("/hr").body).contains("<td>closed</td>"))
            #expect(!String(buffer: try await client.execute(uri: "/jobs", method: .get).body).contains("Archivist"))
            #expect(String(buffer: try await client.execute(uri: "/jobs/\(vacancy.id!)", method: .get).body).contains("has closed"))

            #expect(try await browser.post(page + "/archive", [:], csrfFrom: page).status == .seeOther)
            #expect(String(buffer: try await browser.get(page).body).contains("Stage: archived"))
            #expect(try await client.execute(uri: "/jobs/\(vacancy.id!)", method: .get).status == .notFound)
            let panel = Browser(client)
            try await panel.signIn("pia@example.org", WebHarness.password)
            #expect(String(buffer: try await panel.get("/staff").body).contains("archived"))
        }
        #expect(try harness.auditCount("vacancy.archived") == 1)
        _ = hr
    }

    @Test func aVacancyShowsTheFactsHRGaveAndRefusesAnUnknownEmploymentType() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            var fields = ["title": "Registrar", "description": "Keep the registry.", "location": "Odense", "closes_on": "2099-01-31", "employment_type": "forever"]
            let refused = try await hr.post("/hr/vacancies", fields, csrfFrom: "/hr/vacancies/new")
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("Choose one of the listed employment types."))
            fields["employment_type"] = "fixed_term"
            fields["hours"] = "30 hours a week"
            fields["salary"] = "According to the collective agreement"
            let created = try await hr.post("/hr/vacancies", fields, csrfFrom: "/hr/vacancies/new")
            let page = String(try #require(created.headers[.location]).prefix { $0 != "?" })
            #expect(try await hr.post(page + "/publish", ["confirm": "yes"], csrfFrom: page).status == .seeOther)
            let id = try #require(page.split(separator: "/").last)
            let html = String(buffer: try await client.execute(uri: "/jobs/\(id)", method: .get).body)
            #expect(html.contains("<dt>Employment</dt><dd>Fixed term</dd><dt>Working hours</dt><dd>30 hours a week</dd><dt>Salary</dt><dd>According to the collective agreement</dd>"))
            #expect(!html.contains("<dt>Contact</dt>"), "a fact not given is not shown")
            #expect(String(buffer: try await hr.get(page).body).contains(#"<option value="fixed_term" selected>Fixed term</option>"#))
        }
    }

    @Test func thePanelChangeSaysWhoWasAddedOrRemoved() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("hr@example.org", role: .hr)
        let pia = try await harness.makeStaff("pia@example.org")
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let page = "/hr/vacancies/\(vacancy.id!)"
            let added = try await hr.post(page + "/panel", ["email": "pia@example.org"], csrfFrom: page)
            let location = try #require(added.headers[.location])
            #expect(location == page + "?saved=panel-added&member=\(pia.id!)")
            #expect(String(buffer: try await hr.get(location).body).contains("Pia was added to the hiring panel."))
            let removed = try await hr.post(page + "/panel/remove", ["email": "pia@example.org"], csrfFrom: page)
            #expect(String(buffer: try await hr.get(try #require(removed.headers[.location])).body).contains("Pia was removed from the hiring panel."))
        }
    }

    @Test func aDraftTakesNoApplicationsEvenFromAFormedRequest() async throws {
        let harness = try await WebHarness()
        let draft = try await harness.database.createVacancy(
            Vacancy(title: "Secret", description: "Not yet.", location: "Aarhus", closesOn: "2099-12-31", international: false, createdAt: harness.options.clock.now, draft: true),
            destinations: [], actor: .system
        )
        let open = try await harness.makeVacancy()
        try await harness.withClient { client in
            // A form of another vacancy, sent to the draft's address.
            let session = try await FormSession.open(vacancy: open.id!, with: client)
            let response = try await client.post("/jobs/\(draft.id!)/apply", .application(session, cv: try Fixtures.data("cv.pdf")), cookie: session.cookie)
            #expect(response.status == .notFound)
        }
        #expect(try harness.database.counts().applications == 0)
    }
}
