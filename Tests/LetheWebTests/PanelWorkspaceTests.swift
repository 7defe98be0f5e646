import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// The panel's workspace: blind scorecards with averages, the list's columns, filter, e-mail
/// search and bulk status change, and moving between applications.
@Suite struct PanelWorkspaceTests {
    @Test func scoringIsBlindUntilYouHaveAssessedThenAveragesAppear() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (applicationId, _) = try harness.onlyApplication()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.makeStaff("ole@example.org", panels: [vacancy])
        let page = "/staff/applications/\(applicationId)"
        let list = "/staff/vacancies/\(vacancy.id!)"
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            #expect(try await pia.post(page + "/assessment", ["competencies": "4", "qualifications": "5", "experience": "3", "notes": "Pia's private view"], csrfFrom: page).status == .seeOther)

            let ole = Browser(client)
            try await ole.signIn("ole@example.org", WebHarness.password)
            let before = String(buffer: try await ole.get(page).body)
            #expect(before.contains("One colleague has assessed this application. Scoring is blind"))
            #expect(!before.contains("Pia"))
            #expect(!before.contains("average-overall"))
            let listBefore = String(buffer: try await ole.get(list).body)
            #expect(listBefore.contains("<td>No</td><td>—</td>"))

            let saved = try await ole.post(page + "/assessment", ["competencies": "2", "qualifications": "2", "experience": "2"], csrfFrom: page)
            // Saving stays in place: back to the assessments, and said there.
            let location = try #require(saved.headers[.location])
            #expect(location == page + "?saved=assessment#assessments")
            #expect(String(buffer: try await ole.get(location).body).contains(#"<h2 id="assessments">Assessments</h2>"# + "\n" + #"<div class="success" role="status"><p>Your assessment was saved.</p></div>"#))
            let after = String(buffer: try await ole.get(page).body)
            #expect(!after.contains("Scoring is blind"))
            #expect(after.contains("Average over all criteria: 3.0 of 5, from 2 assessments."))
            #expect(after.contains("<tfoot><tr><th scope=\"row\">Average</th><td>3.0</td><td>3.5</td><td>2.5</td></tr></tfoot>"))
            #expect(after.contains("Pia&#39;s private view") || after.contains("Pia's private view"))
            let listAfter = String(buffer: try await ole.get(list).body)
            #expect(listAfter.contains("<td>Yes</td><td>3.0</td>"))
        }
    }

    /// The total comes from the page itself when the page is not full, and from a count
    /// otherwise: either way the reader sees the same range, also past the last page.
    @Test func everyPageOfTheListTellsTheSameTotalAndAPagePastTheEndShowsTheLast() async throws {
        try await Self.withPiaOnAList(of: 120) { _, pia, list in
            #expect(String(buffer: try await pia.get(list).body).contains("Applications 1–50 of 120."))
            #expect(String(buffer: try await pia.get(list + "?page=2").body).contains("Applications 51–100 of 120."))
            #expect(String(buffer: try await pia.get(list + "?page=3").body).contains("Applications 101–120 of 120."))
            let past = String(buffer: try await pia.get(list + "?page=9").body)
            #expect(past.contains("Applications 101–120 of 120."))
            #expect(past.contains("<strong>3</strong>"))
            let rejected = String(buffer: try await pia.get(list + "?status=rejected&page=5").body)
            #expect(rejected.contains("Applications 1–17 of 17."))
            let found = try await pia.post(list + "/search", ["q": "nobody-at-all"], csrfFrom: list)
            let none = String(buffer: try await pia.get(try #require(found.headers[.location])).body)
            #expect(none.contains("No applications match “nobody-at-all”."))
        }
    }

    /// Pia, signed in, on the panel of a vacancy with `count` synthetic applications, and the
    /// address of its list.
    static func withPiaOnAList(of count: Int, _ body: @escaping @Sendable (WebHarness, Browser, String) async throws -> Void) async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try harness.workspace.insertSyntheticApplications(vacancyId: vacancy.id!, count: count, at: harness.options.clock.now)
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            try await body(harness, pia, "/staff/vacancies/\(vacancy.id!)")
        }
    }

    @Test func theListFiltersByStatusFindsAnEmailAddressAndLinksNeighbours() async throws {
        try await Self.withPiaOnAList(of: 21) { harness, pia, list in
            // 21 applications over 7 statuses: 3 each.
            let rejected = String(buffer: try await pia.get(list + "?status=rejected").body)
            #expect(rejected.contains("Applications 1–3 of 3."))
            #expect(rejected.contains(#"<strong aria-current="page">Rejected</strong>"#))
            let found = try await pia.post(list + "/search", ["q": "applicant17@example"], csrfFrom: list)
            let results = try #require(found.headers[.location])
            #expect(!results.contains("example"), "the search text is in the URL: \(results)")
            let search = String(buffer: try await pia.get(results).body)
            #expect(search.contains("Applications 1–1 of 1 matching"))
            #expect(search.contains("Applicant 017"))

            // Newest first: application 11 sits between 12 (above) and 10 (below).
            let ids = try harness.database.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM application ORDER BY submitted_at") }
            let middle = String(buffer: try await pia.get("/staff/applications/\(ids[11])").body)
            #expect(middle.contains(#"<a href="/staff/applications/\#(ids[12])" rel="prev">"#))
            #expect(middle.contains(#"<a href="/staff/applications/\#(ids[10])" rel="next">"#))
            let newest = String(buffer: try await pia.get("/staff/applications/\(ids[20])").body)
            #expect(!newest.contains(#"rel="prev""#))
        }
    }

    @Test func rejectingSeveralAtOnceCanSendEachHRsRejectionMessage() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(title: "Archivist")
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let pdf = try Fixtures.data("cv.pdf")
        _ = try await harness.submit(to: vacancy, cv: pdf, email: "ada@example.com")
        _ = try await harness.submit(to: vacancy, cv: pdf, email: "bo@example.com")
        let ids = try harness.database.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM application ORDER BY id") }
        let list = "/staff/vacancies/\(vacancy.id!)"
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let done = try await pia.post(list + "/status", ["select_\(ids[0])": "yes", "select_\(ids[1])": "yes", "status": "rejected", "send_rejection": "yes"], csrfFrom: list)
            #expect(done.status == .seeOther)
            let thread = String(buffer: try await pia.get("/staff/applications/\(ids[1])").body)
            #expect(thread.contains("Archivist"), "the template's {vacancy} is filled in")
        }
        let messages = try harness.database.read { db in try String.fetchAll(db, sql: "SELECT body FROM thread_message ORDER BY application_id") }
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { $0.contains("Ada Applicant") && !$0.contains("{name}") })
        #expect(try harness.outboxKinds().filter { $0 == "message" }.count == 2)
    }

    @Test func bulkStatusChangeAppliesToAllSelectedOrToNone() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let other = try await harness.makeVacancy(title: "Other")
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try harness.workspace.insertSyntheticApplications(vacancyId: vacancy.id!, count: 3, at: harness.options.clock.now)
        try harness.workspace.insertSyntheticApplications(vacancyId: other.id!, count: 1, at: harness.options.clock.now)
        let (mine, theirs) = try harness.database.read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM application WHERE vacancy_id = ? ORDER BY id", arguments: [vacancy.id!]),
             try Int64.fetchOne(db, sql: "SELECT id FROM application WHERE vacancy_id = ?", arguments: [other.id!])!)
        }
        @Sendable func statuses() throws -> [String] {
            try harness.database.read { db in try String.fetchAll(db, sql: "SELECT status FROM application ORDER BY id") }
        }
        let start = try statuses()
        let list = "/staff/vacancies/\(vacancy.id!)"
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            // Nothing selected, or no status chosen: the list again with the message, nothing changed.
            let none = try await pia.post(list + "/status?sort=name&page=1", ["status": "rejected"], csrfFrom: list)
            #expect(none.status == .unprocessableContent)
            #expect(String(buffer: none.body).contains("Select at least one application"))
            let noStatus = try await pia.post(list + "/status", ["select_\(mine[0])": "yes"], csrfFrom: list)
            #expect(noStatus.status == .unprocessableContent)
            #expect(String(buffer: noStatus.body).contains(#"name="select_\#(mine[0])" value="yes" aria-label="Select Applicant 000" checked"#))
            // One application of another vacancy among them: 404, and none of them changes.
            let smuggled = try await pia.post(list + "/status", ["select_\(mine[0])": "yes", "select_\(theirs)": "yes", "status": "hired"], csrfFrom: list)
            #expect(smuggled.status == .notFound)
            #expect(try statuses() == start)

            let done = try await pia.post(list + "/status?sort=name&page=1", ["select_\(mine[0])": "yes", "select_\(mine[2])": "yes", "status": "rejected"], csrfFrom: list)
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == list + "?sort=name&page=1&saved=bulk-status")
            #expect(String(buffer: try await pia.get(try #require(done.headers[.location])).body).contains("The status of the selected applications was changed."))
        }
        #expect(try statuses() == ["rejected", start[1], "rejected", start[3]])
        #expect(try harness.auditCount("message.sent") == 0, "no message unless asked for")
        #expect(try harness.auditCount("application.status_changed") == (start[0] == "rejected" ? 0 : 1) + (start[2] == "rejected" ? 0 : 1))
    }
}
