import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

extension HTTPField.Name {
    static let forwardedFor = Self("X-Forwarded-For")!
}

@Suite struct ThrottleBehindAProxyTests {
    func browser(_ client: some TestClientProtocol, forwardedFor address: String?) -> Browser {
        let browser = Browser(client)
        if let address { browser.extraHeaders = [.forwardedFor: address] }
        return browser
    }

    @Test func guessingAtOneAccountDoesNotLockOutItsOwnerOrColleaguesBehindTheSameProxy() async throws {
        let harness = try await WebHarness { $0.trustedProxy = "127.0.0.1" }
        try await harness.makeStaff("pia@example.org")
        try await harness.makeStaff("ole@example.org")
        try await harness.withClient(.live) { client in
            let attacker = browser(client, forwardedFor: "203.0.113.9")
            for attempt in 1...5 {
                #expect(try await attacker.signIn("pia@example.org", "guess number \(attempt)").status == .unauthorized)
            }
            let paused = try await attacker.signIn("pia@example.org", WebHarness.password)
            #expect(paused.status == .tooManyRequests)
            // The first pause is 30 seconds, counted from the failure that set it.
            #expect((1...30).contains(Int(paused.headers[.retryAfter] ?? "") ?? 0))
            // Pia at her own desk, and Ole behind the attacker's address, sign in.
            #expect(try await browser(client, forwardedFor: "198.51.100.20").signIn("pia@example.org", WebHarness.password).status == .seeOther)
            #expect(try await browser(client, forwardedFor: "203.0.113.9").signIn("ole@example.org", WebHarness.password).status == .seeOther)
        }
        // A restart (a new server on the same database) keeps the pause.
        let restarted = try await AppServices(harness.options)
        let app = try await buildApplication(harness.options, services: restarted)
        try await app.test(.live) { client in
            let response = try await browser(client, forwardedFor: "203.0.113.9").signIn("pia@example.org", WebHarness.password)
            #expect(response.status == .tooManyRequests)
        }
    }

    @Test func forwardedForFromAPeerThatIsNotTheTrustedProxyIsIgnored() async throws {
        let harness = try await WebHarness()  // no --trusted-proxy
        try await harness.makeStaff("pia@example.org")
        try await harness.withClient(.live) { client in
            for attempt in 1...5 {
                _ = try await browser(client, forwardedFor: "203.0.113.\(attempt)").signIn("pia@example.org", "guess number \(attempt)")
            }
            #expect(try await browser(client, forwardedFor: "198.51.100.99").signIn("pia@example.org", WebHarness.password).status == .tooManyRequests)
        }
    }
}

@Suite struct DatabaseFileStartupTests {
    @Test func serverRefusesADatabaseOthersCanReadWithOneClearLine() async throws {
        let harness = try await WebHarness()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: harness.options.databasePath)
        await #expect {
            try await AppServices(harness.options)
        } throws: { error in
            "\(error)".contains("can be read by other users") && "\(error)".contains("--allow-shared-database") && !"\(error)".contains("\n")
        }
        var shared = harness.options
        shared.allowSharedDatabase = true
        _ = try await AppServices(shared)
    }
}

@Suite struct ErasedWhileTheRequestRunsTests {
    /// One request that writes to an application, and where it gets its form.
    struct Action: CustomTestStringConvertible, Sendable {
        let name: String
        let who: String?
        let path: @Sendable (_ receipt: String, _ id: Int64, _ reference: Int64) -> (post: String, form: String)
        let fields: [String: String]
        var testDescription: String { name }
    }

    static let actions: [Action] = [
        Action(name: "applicant gives consent", who: nil, path: { r, _, _ in ("\(r)/consent", r) }, fields: ["months": "12"]),
        Action(name: "applicant withdraws consent", who: nil, path: { r, _, _ in ("\(r)/consent/withdraw", r) }, fields: [:]),
        Action(name: "applicant withdraws a reference's permission", who: nil, path: { r, _, ref in ("\(r)/references/\(ref)/withdraw", r) }, fields: [:]),
        Action(name: "panel changes the status", who: "pia@example.org", path: { _, id, _ in ("/staff/applications/\(id)/status", "/staff/applications/\(id)") }, fields: ["status": "shortlisted"]),
        Action(name: "panel saves an assessment", who: "pia@example.org", path: { _, id, _ in ("/staff/applications/\(id)/assessment", "/staff/applications/\(id)") },
               fields: ["competencies": "4", "qualifications": "4", "experience": "4"]),
        Action(name: "panel records a reference check", who: "pia@example.org", path: { _, id, ref in ("/staff/applications/\(id)/references/\(ref)/checks", "/staff/applications/\(id)") },
               fields: ["contacted_on": "2026-01-05", "summary": "Fine."]),
        Action(name: "HR records consent", who: "hr@example.org", path: { _, id, _ in ("/hr/applications/\(id)/consent", "/hr/applications/\(id)") },
               fields: ["until": "2099-01-01", "evidence": "reply by e-mail"]),
    ]

    /// The request reads the application before the erasure commits and writes after it: the
    /// test holds the database's one writer while it erases, so the request's write waits.
    @Test(arguments: actions)
    func aWriteToAnApplicationErasedWhileTheRequestRanAnswers404(_ action: Action) async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.makeStaff("hr@example.org", role: .hr)
        let receipt = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        let (id, _) = try harness.onlyApplication()
        let reference = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM reference")! }
        try await harness.withClient(.live) { client in
            let browser = Browser(client)
            if let who = action.who { try await browser.signIn(who, WebHarness.password) }
            let (post, formPage) = action.path(receipt, id, reference)
            let hidden = Browser.hiddenInputs(ofFormPostingTo: post, in: String(buffer: try await browser.get(formPage).body))
            let csrf = Browser.firstCSRFToken(in: String(buffer: try await browser.get(formPage).body))
            let fields = hidden.merging(action.fields) { $1 }.merging(["csrf_token": csrf]) { old, _ in old }

            // A second connection erases and holds the write lock; the request's read sees the
            // row, its write waits for the lock and then finds the row gone.
            let workspace = harness.workspace
            async let erasure: Void = onThread {
                try workspace.direct { db in
                    try db.execute(sql: "DELETE FROM application WHERE id = ?", arguments: [id])
                    Thread.sleep(forTimeInterval: 1.5)
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            let response = try await browser.postRaw(post, fields)
            try await erasure
            #expect(response.status == .notFound, "\(action.name) answered \(response.status.code)")
        }
    }
}

@Suite struct SmallerHardeningTests {
    @Test func hrRecordsConsentUpToTheMaximumDayTheFormShows() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("hr@example.org", role: .hr)
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (id, _) = try harness.onlyApplication()
        let application = try harness.database.read { db in try JobApplication.fetchOne(db, key: id)! }
        let maximum = harness.options.retentionPolicy.maximumEnd(submittedAt: application.submittedAt)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let page = "/hr/applications/\(id)"
            // Days on the organisation's calendar, as the form shows them (not UTC's: from 23:00
            // UTC in winter, Copenhagen is already in the next day).
            let policy = harness.options.retentionPolicy
            let maxDay = policy.day(of: maximum)
            #expect(String(buffer: try await hr.get(page).body).contains(#"max="\#(maxDay)""#))
            let beyond = policy.day(of: maximum.addingTimeInterval(86_400))
            let refused = try await hr.post(page + "/consent", ["until": beyond, "evidence": "reply by e-mail"], csrfFrom: page)
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains(#"<h2>The consent was not recorded. Please check:</h2>"#))
            #expect(String(buffer: refused.body).contains(##"<li><a href="#until">"##), "the summary links to the date field")
            #expect(String(buffer: refused.body).contains(#"value="reply by e-mail""#), "what was typed is kept")
            #expect(try await hr.post(page + "/consent", ["until": maxDay, "evidence": "reply by e-mail"], csrfFrom: page).status == .seeOther)
        }
        let kept = try harness.database.read { db in try JobApplication.fetchOne(db, key: id)!.retentionUntil }
        #expect(abs(kept.timeIntervalSince(maximum)) < 0.01)
    }

    @Test func hrFindsAnApplicantByEMailWithoutTheAddressInAnyURL() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("hr@example.org", role: .hr)
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let found = try await hr.post("/hr/retention/search", ["email": "ADA@example.com"], csrfFrom: "/hr/retention")
            #expect(found.status == .seeOther)
            let location = try #require(found.headers[.location])
            // The address is sealed, not encoded: the URL holds a random-looking token (its letters
            // may spell "ada" by chance, so look for what an encoding would keep: "@", "%40", ".").
            let url = try #require(URLComponents(string: location))
            #expect(url.path == "/hr/retention")
            let token = try #require(url.queryItems?.first { $0.name == "lookup" }?.value)
            #expect(url.queryItems?.count == 1)
            #expect(!location.contains("@") && !location.contains("%40") && !location.lowercased().contains("example.com"))
            let decoded = try #require(Data(base64URLEncoded: token))
            #expect(decoded.range(of: Data("ada@example.com".utf8)) == nil && decoded.range(of: Data("ADA@example.com".utf8)) == nil)
            let page = String(buffer: try await hr.get(location).body)
            #expect(page.contains("/hr/applications/\(try harness.onlyApplication().application)"))
            // Every link on the page is free of the address too.
            #expect(!page.contains("href=\"/hr/retention?email"))
            #expect(try await hr.get("/hr/retention?email=ada%40example.com").status == .ok)
            #expect(!String(buffer: try await hr.get("/hr/retention?email=ada%40example.com").body).contains("/hr/applications/"))
        }
    }

    @Test func theApplicantsCopyHoldsAssessmentsAndStatusHistory() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let receipt = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        let (id, _) = try harness.onlyApplication()
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let page = "/staff/applications/\(id)"
            _ = try await pia.post(page + "/status", ["status": "shortlisted"], csrfFrom: page)
            _ = try await pia.post(page + "/assessment", ["competencies": "4", "qualifications": "5", "experience": "3", "notes": "Strong archive work."], csrfFrom: page)
            let export = try await client.execute(uri: receipt + "/export", method: .get)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: export.body)) as? [String: Any])
            let assessments = try #require(json["assessments"] as? [[String: Any]])
            #expect(assessments.count == 1)
            #expect(assessments.first?["notes"] as? String == "Strong archive work.")
            #expect(assessments.first?["qualifications"] as? Int == 5)
            let history = try #require(json["statusHistory"] as? [[String: Any]])
            #expect(history.compactMap { $0["status"] as? String } == ["received", "shortlisted"])
        }
    }

    @Test func headOnADocumentIsNotAuditedAsADownload() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let receipt = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        let (id, document) = try harness.onlyApplication()
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let head = try await pia.send("/staff/applications/\(id)/documents/\(document)", method: .head)
            #expect(head.status == .ok)
            #expect(head.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(head.body.readableBytes == 0)
            #expect(try await client.execute(uri: "\(receipt)/documents/\(document)", method: .head).status == .ok)
            #expect(try harness.auditCount("document.downloaded") == 0)
            #expect(try await pia.get("/staff/applications/\(id)/documents/\(document)").status == .ok)
            #expect(try harness.auditCount("document.downloaded") == 1)
        }
    }

    @Test func everyPersonalPageRedirectAndErrorTellsTheBrowserNotToKeepIt() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("hr@example.org", role: .hr, panels: [vacancy])
        let receipt = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        let (id, document) = try harness.onlyApplication()
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            var responses: [(String, TestResponse)] = []
            for path in ["/staff", "/staff/vacancies/\(vacancy.id!)", "/staff/applications/\(id)", "/staff/applications/\(id)/documents/\(document)",
                         "/staff/password", "/hr", "/hr/retention", "/hr/applications/\(id)", "/hr/vacancies/\(vacancy.id!)", "/hr/notices",
                         "/staff/applications/999999", receipt, receipt + "/export", receipt + "/withdraw", "\(receipt)/documents/\(document)", "/me/\(String(repeating: "a", count: 43))"] {
                responses.append((path, try await hr.get(path)))
            }
            responses.append(("consent", try await hr.post("/hr/applications/\(id)/consent", ["until": "2099-01-01", "evidence": "x"], csrfFrom: "/hr/applications/\(id)")))
            responses.append(("signed out", try await Browser(client).get("/staff")))
            responses.append(("erase", try await hr.post("/hr/applications/\(id)/erase", ["confirm": "yes"], csrfFrom: "/hr/applications/\(id)")))
            responses.append(("after erasure", try await hr.get("/hr/applications/\(id)")))
            for (path, response) in responses {
                #expect(response.headers[.cacheControl] == "no-store", "\(path) (\(response.status.code)) may be cached")
            }
        }
    }

    @Test func theSchedulerRemovesEndedSessionsAndOldSignInCounters() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        try await harness.makeStaff("pia@example.org")
        try await harness.withClient { client in
            try await Browser(client).signIn("pia@example.org", WebHarness.password)
            _ = try await Browser(client).signIn("nobody@example.org", "a wrong password")
        }
        func rows(_ table: String) throws -> Int { try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! } }
        #expect(try rows("session") == 1)
        #expect(try rows("sign_in_throttle") == 2)
        let scheduler = RetentionScheduler(
            purger: harness.services.purger, database: harness.database, sessionPolicy: harness.services.sessionPolicy,
            throttle: harness.services.throttle, clock: clock.wallClock, interval: .seconds(3600), logger: Logger(label: "test")
        )
        await scheduler.runOnce()
        #expect(try rows("session") == 1)
        clock.advance(25 * 3600)
        await scheduler.runOnce()
        #expect(try rows("session") == 0)
        #expect(try rows("sign_in_throttle") == 0)
    }

    @Test func anUploadThatTricklesPastItsDeadlineIsStoppedWith408AndLeavesNothing() async throws {
        let harness = try await WebHarness { $0.uploadTimeoutSeconds = 2 }
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        let before = try harness.workspace.snapshot()
        try await harness.withClient(.live) { client in
            let port = try #require(client.port)
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let request = StreamingLimitsTests.rawApplication(session: session, vacancyId: vacancy.id!, cv: pdf, chunked: false)
            let answer = try await onThread { () -> String in
                let connection = try RawConnection(port: port)
                connection.setReadTimeout(seconds: 20)
                // Everything but the last 100 bytes, then nothing: the client keeps the upload open.
                connection.send(Array(request.dropLast(100)))
                let (bytes, _) = connection.readAvailable(upTo: 64)
                return String(decoding: bytes.prefix { $0 != 0x0D }, as: UTF8.self)
            }
            #expect(answer.hasPrefix("HTTP/1.1 408"), "got \(answer)")
        }
        #expect(try harness.workspace.snapshot() == before)
    }
}
