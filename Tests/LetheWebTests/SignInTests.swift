import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Synchronization
import Testing
@testable import LetheWeb

@Suite struct SignInTests {
    @Test func sessionIdChosenByTheClientBeforeSignInIsNotTheSessionAfterIt() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("pia@example.org")
        try await harness.withClient { client in
            let browser = Browser(client)
            let planted = "attacker-chosen-session-id-0000000000000000"
            browser.cookies[StaffSessionMiddleware.cookieName] = planted
            #expect(try await browser.signIn("pia@example.org", WebHarness.password).status == .seeOther)
            #expect(browser.cookies[StaffSessionMiddleware.cookieName] != planted)
            #expect(try await browser.get("/staff").status == .ok)

            let attacker = Browser(client)
            attacker.cookies[StaffSessionMiddleware.cookieName] = planted
            let response = try await attacker.get("/staff")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/login")
        }
    }

    @Test func cookieReplayedAfterSignOutIsRefused() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("pia@example.org")
        try await harness.withClient { client in
            let browser = Browser(client)
            try await browser.signIn("pia@example.org", WebHarness.password)
            let stolen = try #require(browser.cookies[StaffSessionMiddleware.cookieName])
            #expect(try await browser.post("/logout", [:], csrfFrom: "/staff").status == .seeOther)
            let replay = Browser(client)
            replay.cookies[StaffSessionMiddleware.cookieName] = stolen
            #expect(try await replay.get("/staff").headers[.location] == "/login")
        }
    }

    @Test func sixthTryAfterFiveWrongPasswordsInARowIsPaused() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("pia@example.org")
        try await harness.withClient { client in
            let browser = Browser(client)
            for attempt in 1...5 {
                let response = try await browser.signIn("pia@example.org", "wrong password number \(attempt)")
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("The e-mail address or the password is wrong."))
                #expect(String(buffer: response.body).contains(#"value="pia@example.org""#))
            }
            let sixth = try await browser.signIn("pia@example.org", WebHarness.password)
            #expect(sixth.status == .tooManyRequests)
            #expect(String(buffer: sixth.body).contains("Too many failed attempts"))
            #expect(sixth.headers[.retryAfter] != nil)
            #expect(browser.cookies[StaffSessionMiddleware.cookieName] == nil)
        }
    }

    @Test func stateChangingPostWithoutCSRFTokenChangesNothing() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (applicationId, _) = try harness.onlyApplication()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            #expect(try await pia.post("/staff/applications/\(applicationId)/status", ["status": "rejected"], csrfFrom: nil).status == .forbidden)
            #expect(try await pia.post("/staff/applications/\(applicationId)/status", ["status": "rejected", "csrf_token": "forged"], csrfFrom: nil).status == .forbidden)
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            #expect(try await hr.post("/hr/vacancies/\(vacancy.id!)/close", [:], csrfFrom: nil).status == .forbidden)
            #expect(try await hr.post("/logout", [:], csrfFrom: nil).status == .forbidden)
            #expect(try await hr.get("/hr").status == .ok)
        }
        let state = try harness.database.read { db in
            (try String.fetchOne(db, sql: "SELECT status FROM application")!, try String.fetchOne(db, sql: "SELECT status FROM vacancy")!)
        }
        #expect(state.0 == "received")
        #expect(state.1 == "open")
    }

    @Test func idleSessionEndsAfterThirtyMinutesAndBusyOneAfterTwelveHours() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        try await harness.makeStaff("pia@example.org")
        try await harness.withClient { client in
            let idle = Browser(client)
            try await idle.signIn("pia@example.org", WebHarness.password)
            clock.advance(29 * 60)
            #expect(try await idle.get("/staff").status == .ok)
            clock.advance(31 * 60)
            #expect(try await idle.get("/staff").headers[.location] == "/login")

            let busy = Browser(client)
            try await busy.signIn("pia@example.org", WebHarness.password)
            for _ in 0..<(12 * 60 / 20 - 1) {
                clock.advance(20 * 60)
                #expect(try await busy.get("/staff").status == .ok)
            }
            // Dates are stored to the millisecond: step a second past the 12 hours.
            clock.advance(20 * 60 + 1)
            #expect(try await busy.get("/staff").headers[.location] == "/login")
        }
    }

    @Test func disablingAnAccountEndsItsSessions() async throws {
        let harness = try await WebHarness()
        let pia = try await harness.makeStaff("pia@example.org")
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let staff = Browser(client)
            try await staff.signIn("pia@example.org", WebHarness.password)
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            #expect(try await hr.post("/hr/staff/\(pia.id!)/disable", [:], csrfFrom: "/hr").status == .seeOther)
            #expect(try await staff.get("/staff").headers[.location] == "/login")
            let refused = try await staff.signIn("pia@example.org", WebHarness.password)
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("Your account is disabled"))
            #expect(staff.cookies[StaffSessionMiddleware.cookieName] == nil)
            // Without the password nothing says whether the account exists or is disabled.
            let guessed = try await Browser(client).signIn("pia@example.org", "not the password at all")
            #expect(guessed.status == .unauthorized)
            #expect(!String(buffer: guessed.body).contains("disabled"))
            #expect(try await hr.post("/hr/staff/\(pia.id!)/enable", [:], csrfFrom: "/hr").status == .seeOther)
            #expect(try await staff.signIn("pia@example.org", WebHarness.password).status == .seeOther)
        }
    }

    @Test func hrCreatesAccountsAndGetsClearPasswordErrors() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let tooLong = try await hr.post("/hr/staff", ["email": "x@example.org", "name": "X", "role": "staff", "password": String(repeating: "æ", count: 40)], csrfFrom: "/hr")
            #expect(tooLong.status == .unprocessableContent)
            #expect(String(buffer: tooLong.body).contains("longer than 72 bytes"))
            #expect(String(buffer: tooLong.body).contains(#"value="x@example.org""#))
            let short = try await hr.post("/hr/staff", ["email": "x@example.org", "name": "X", "role": "staff", "password": "short"], csrfFrom: "/hr")
            #expect(short.status == .unprocessableContent)
            #expect(String(buffer: short.body).contains("at least 12 characters"))
            let ok = try await hr.post("/hr/staff", ["email": "x@example.org", "name": "X", "role": "staff", "password": "twelve chars ok"], csrfFrom: "/hr")
            #expect(ok.status == .seeOther)
            let newcomer = Browser(client)
            #expect(try await newcomer.signIn("x@example.org", "twelve chars ok").status == .seeOther)
        }
    }

    @Test func hrCreatesAndEditsAnInternationalVacancy() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let missing = try await hr.post("/hr/vacancies", ["title": "Analyst", "description": "d", "location": "Odense", "closes_on": "2099-01-31", "international": "yes", "transfer_country": "USA"], csrfFrom: "/hr/vacancies/new")
            #expect(missing.status == .unprocessableContent)
            #expect(String(buffer: missing.body).contains("Choose the destination country from the list."))
            // The summary at the top links to the field.
            #expect(String(buffer: missing.body).contains(##"<li><a href="#transfer_country">Choose the destination country from the list.</a></li>"##))
            #expect(String(buffer: missing.body).contains(#"value="Analyst""#))
            #expect(String(buffer: missing.body).contains(#"<option value="KR">South Korea</option>"#), "countries by name")
            #expect(!String(buffer: missing.body).contains(#"<option value="DE">"#), "no EU/EEA country is offered")
            let inside = try await hr.post("/hr/vacancies", ["title": "Analyst", "description": "d", "location": "Odense", "closes_on": "2099-01-31", "international": "yes",
                                                               "transfer_country": "NO", "transfer_recipient": "Norsk AS", "transfer_safeguard": "scc"], csrfFrom: "/hr/vacancies/new")
            #expect(inside.status == .unprocessableContent)
            #expect(String(buffer: inside.body).contains("That country is in the EU/EEA"))
            #expect(try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM vacancy")! } == 0)
            let created = try await hr.post("/hr/vacancies", [
                "title": "Analyst", "description": "Analyse.", "location": "Odense", "closes_on": "2099-01-31",
                "international": "yes", "transfer_country": "us", "transfer_recipient": "Partner Inc.", "transfer_safeguard": "scc",
            ], csrfFrom: "/hr/vacancies/new")
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("/hr/vacancies/"))
            let id = try #require(Int64(location.dropFirst("/hr/vacancies/".count).prefix { $0.isNumber }))
            // A new vacancy is a draft: not public, not listed, and HR can preview it.
            #expect(try await client.execute(uri: "/jobs/\(id)", method: .get).status == .notFound)
            #expect(!String(buffer: try await client.execute(uri: "/jobs", method: .get).body).contains("Analyst"))
            let preview = String(buffer: try await hr.get("/hr/vacancies/\(id)/preview").body)
            #expect(preview.contains("Preview for HR: this vacancy is a draft"))
            #expect(preview.contains("Partner Inc.") && !preview.contains(#"<button type="submit">Send application"#))
            // Publishing without a panel warns first; confirmed, the vacancy is public.
            let warned = try await hr.post("/hr/vacancies/\(id)/publish", [:], csrfFrom: "/hr/vacancies/\(id)")
            #expect(warned.status == .conflict)
            #expect(String(buffer: warned.body).contains("This vacancy has no hiring panel yet"))
            #expect(try await client.execute(uri: "/jobs/\(id)", method: .get).status == .notFound)
            #expect(try await hr.post("/hr/vacancies/\(id)/publish", ["confirm": "yes"], csrfFrom: "/hr/vacancies/\(id)").status == .seeOther)
            let page = String(buffer: try await client.execute(uri: "/jobs/\(id)", method: .get).body)
            #expect(page.contains("Partner Inc."))
            #expect(page.contains("United States (US)"))
            let danish = String(buffer: try await client.execute(uri: "/jobs/\(id)", method: .get, headers: [.acceptLanguage: "da"]).body)
            #expect(danish.contains("USA (US)"), "applicants see the country in their language")
            #expect(page.contains(#"name="transfer_ack""#))
            let edited = try await hr.post("/hr/vacancies/\(id)", ["title": "Senior Analyst", "description": "Analyse more.", "location": "Odense", "closes_on": "2099-02-28"], csrfFrom: "/hr/vacancies/\(id)")
            #expect(edited.status == .seeOther)
            let added = try await hr.post("/hr/vacancies/\(id)/destinations", ["transfer_country": "CH", "transfer_recipient": "Swiss Partner AG", "transfer_safeguard": "adequacy"], csrfFrom: "/hr/vacancies/\(id)")
            #expect(added.status == .seeOther)
            let editedPage = String(buffer: try await client.execute(uri: "/jobs/\(id)", method: .get).body)
            #expect(editedPage.contains("Senior Analyst"))
            #expect(editedPage.contains("Partner Inc."))
            #expect(editedPage.contains("Swiss Partner AG"))
            #expect(try await hr.post("/hr/vacancies/\(id)/close", [:], csrfFrom: "/hr/vacancies/\(id)").status == .seeOther)
            #expect(String(buffer: try await client.execute(uri: "/jobs", method: .get).body).contains("Analyst") == false)
        }
    }
}
