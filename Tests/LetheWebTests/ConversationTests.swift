import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

extension WebHarness {
    /// Delivers what is due now and returns the new messages, decoded, oldest first.
    func deliverMail(at now: Date = Date()) async throws -> [String] {
        let directory = options.resolvedMailDirectory + "/new"
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        _ = try await #require(services.delivery).runOnce(now: now)
        let after = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return try after.filter { !before.contains($0) }.sorted()
            .map { name in
                // The head as sent (its encoded words are read by headerText), the body decoded.
                let raw = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
                let split = raw.range(of: "\r\n\r\n") ?? raw.endIndex..<raw.endIndex
                return String(raw[..<split.upperBound]) + quotedPrintableDecoded(String(raw[split.upperBound...]))
            }
    }

    /// The path of the first link to this server in a message (`/me/…`, `/staff/…`, `/login/…`).
    func linkPath(in mail: String) throws -> String {
        let base = NSRegularExpression.escapedPattern(for: options.resolvedPublicURL)
        let range = try #require(mail.range(of: base + #"/[A-Za-z0-9/_?=#.-]+"#, options: .regularExpression), "no link in: \(mail)")
        return String(mail[range].dropFirst(options.resolvedPublicURL.count))
    }

    /// `body` as the server's pages and mail would word it in English.
    func speakingEnglish<T>(_ body: () -> T) -> T {
        Localizer.$current.withValue(Localizer(catalogue: services.catalogues[.en]!, timeZone: options.timeZone), operation: body)
    }

    func outboxKinds() throws -> [String] {
        try workspace.direct { db in try String.fetchAll(db, sql: "SELECT kind FROM outbox_message ORDER BY id") }
    }
}

@Suite struct LostLinkTests {
    @Test func aLostLinkIsReplacedByMailAndTheOldOneStopsWorking() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(title: "Archivist")
        let first = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        _ = try await harness.deliverMail()
        try await harness.withClient { client in
            let applicant = Browser(client)
            let form = String(buffer: try await applicant.get("/me").body)
            #expect(form.contains("Get a new private link"))
            let asked = try await applicant.post("/me", ["email": "ADA@example.com"], csrfFrom: "/me")
            #expect(asked.status == .seeOther)
            #expect(asked.headers[.location] == "/me?sent=1")
            let sent = String(buffer: try await applicant.get("/me?sent=1").body)
            #expect(sent.contains("If we hold an application sent from that address"))

            let mail = try #require(try await harness.deliverMail().first)
            #expect(headerText("Subject", in: mail) == "Your new private link: Archivist")
            let fresh = try harness.linkPath(in: mail)
            #expect(fresh != first)
            #expect(try await applicant.get(fresh).status == .ok)
            #expect(try await applicant.get(first).status == .notFound)

            // An unknown address gets the same answer, and no mail.
            let unknown = try await Browser(client).post("/me", ["email": "nobody@example.com"], csrfFrom: "/me")
            #expect(unknown.status == .seeOther)
            #expect(unknown.headers[.location] == "/me?sent=1")
            #expect(try await harness.deliverMail().isEmpty)

            let invalid = try await Browser(client).post("/me", ["email": "not an address"], csrfFrom: "/me")
            #expect(invalid.status == .unprocessableContent)
            #expect(String(buffer: invalid.body).contains("Enter an e-mail address like name@example.com."))
            #expect(String(buffer: invalid.body).contains("value=\"not an address\""))
        }
        #expect(try harness.auditCount("link.requested") == 2)
        #expect(try harness.auditCount("application.link_renewed") == 1)
        let details = try harness.database.read { db in try String.fetchAll(db, sql: "SELECT coalesce(detail, '') FROM audit_event") }
        #expect(!details.joined().lowercased().contains("ada@example.com"))
        #expect(!details.joined().contains("nobody@example.com"))
    }

    @Test func requestsForOneAddressAreThrottledFromAnyClient() async throws {
        let harness = try await WebHarness()
        _ = try await harness.submit(to: try await harness.makeVacancy(), cv: try Fixtures.data("cv.pdf"))
        try await harness.withClient { client in
            for attempt in 1...3 {
                let browser = Browser(client)
                browser.extraHeaders[.init("X-Forwarded-For")!] = "192.0.2.\(attempt)"
                #expect(try await browser.post("/me", ["email": "ada@example.com"], csrfFrom: "/me").status == .seeOther)
            }
            let fourth = try await Browser(client).post("/me", ["email": "ada@example.com"], csrfFrom: "/me")
            #expect(fourth.status == .tooManyRequests)
            #expect(fourth.headers[.retryAfter] != nil)
            #expect(String(buffer: fourth.body).contains("Too many requests for a new link"))
            // Another address is not held up by it.
            #expect(try await Browser(client).post("/me", ["email": "someone@example.com"], csrfFrom: "/me").status == .seeOther)
        }
        #expect(try harness.outboxKinds().filter { $0 == "lost_link" }.count == 3)
    }
}

@Suite struct ReminderTests {
    @Test func aReminderGoesOnceBeforeErasureAndItsLinkLeadsToConsent() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let vacancy = try await harness.makeVacancy(title: "Archivist")
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        _ = try await harness.deliverMail()
        let purger = harness.services.purger
        let (applicationId, _) = try harness.onlyApplication()
        let erasure = try harness.database.read { db in try Date.fetchOne(db, sql: "SELECT retention_until FROM application")! }

        #expect(try await purger.queueReminders(asOf: erasure.addingTimeInterval(-31 * 86_400), now: clock.now) == 0, "too early")
        #expect(try await purger.queueReminders(asOf: erasure.addingTimeInterval(-29 * 86_400), now: clock.now) == 1)
        #expect(try await purger.queueReminders(asOf: erasure.addingTimeInterval(-28 * 86_400), now: clock.now) == 0, "one per erasure date")
        let mail = try #require(try await harness.deliverMail().first)
        #expect(mail.contains("will be erased on \(harness.speakingEnglish { Formatting.day(erasure) })"))
        let link = try harness.linkPath(in: mail)
        #expect(link.hasSuffix("#consent"))
        let page = link.components(separatedBy: "#")[0]

        // The reminder's link gives consent like the private link does.
        try await harness.withClient { client in
            let applicant = Browser(client)
            let html = String(buffer: try await applicant.get(page).body)
            #expect(html.contains("id=\"consent\""))
            #expect(try await applicant.post(page + "/consent", ["months": "12"], csrfFrom: page).status == .seeOther)
        }
        let extended = try harness.database.read { db in try Date.fetchOne(db, sql: "SELECT retention_until FROM application")! }
        #expect(extended > erasure)
        // The same reminder goes before the consent ends.
        #expect(try await purger.queueReminders(asOf: extended.addingTimeInterval(-10 * 86_400), now: clock.now) == 1)
        let second = try #require(try await harness.deliverMail().first)
        #expect(second.contains("The time you agreed we may keep it is running out"))
        let reminders = try harness.workspace.direct { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox_message WHERE kind = 'reminder' AND application_id = ?", arguments: [applicationId])! }
        #expect(reminders == 2)
    }

    @Test func noReminderWhenTheApplicationIsKeptToTheMaximum() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let base = try await harness.submit(to: try await harness.makeVacancy(), cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        try await harness.withClient { client in
            let consented = try await Browser(client).post(base + "/consent", ["months": "24"], csrfFrom: base)
            #expect(consented.status == .seeOther)
        }
        let until = try harness.database.read { db in try Date.fetchOne(db, sql: "SELECT retention_until FROM application")! }
        #expect(try await harness.services.purger.queueReminders(asOf: until.addingTimeInterval(-86_400), now: clock.now) == 0)
    }

    @Test func lethePurgeAsOfQueuesTheRemindersDue() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: AuditCommandTests.executable.path), "build the lethe executable first (swift build)")
        let harness = try await WebHarness()
        _ = try await harness.submit(to: try await harness.makeVacancy(), cv: try Fixtures.data("cv.pdf"))
        let erasure = try harness.database.read { db in try Date.fetchOne(db, sql: "SELECT retention_until FROM application")! }
        let asOf = ISO8601DateFormatter().string(from: erasure.addingTimeInterval(-7 * 86_400))
        let result = try AuditCommandTests().run([
            "purge", "--as-of", asOf, "--database", harness.workspace.databasePath, "--uploads", harness.workspace.uploadsPath,
            "--templates", harness.options.templatesPath, "--mail-dir", harness.options.resolvedMailDirectory,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("erased 0 applications"))
        #expect(result.output.contains("queued 1 reminder before erasure"))
        #expect(try harness.outboxKinds() == ["receipt", "reminder"])
    }
}

@Suite struct ThreadTests {
    /// A page's text from the heading with `id` to the next `<h2`.
    static func section(_ id: String, of page: String) -> Substring {
        guard let start = page.range(of: "id=\"\(id)\"") else { return "" }
        let rest = page[start.upperBound...]
        return rest[..<(rest.range(of: "<h2")?.lowerBound ?? rest.endIndex)]
    }

    /// A page's text before the heading with `id`.
    static func beforeSection(_ id: String, of page: String) -> Substring {
        page[..<(page.range(of: "id=\"\(id)\"")?.lowerBound ?? page.endIndex)]
    }

    @Test func thePanelWritesTheApplicantAnswersAndThePanelIsToldWithoutNameOrText() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(title: "Archivist")
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.makeStaff("ole@example.org", panels: [vacancy])
        try await harness.makeStaff("outsider@example.org")
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        _ = try await harness.deliverMail()
        let (id, _) = try harness.onlyApplication()
        let page = "/staff/applications/\(id)"
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let noSubject = try await pia.post(page + "/messages", ["subject": "", "body": "Could you come on Tuesday?"], csrfFrom: page)
            #expect(noSubject.status == .unprocessableContent)
            #expect(String(buffer: noSubject.body).contains("Give the message a subject."))
            #expect(String(buffer: noSubject.body).contains("Could you come on Tuesday?"), "the text typed is kept")
            let injected = try await pia.post(page + "/messages", ["subject": "Hello\r\nBcc: victim@example.net", "body": "Hi"], csrfFrom: page)
            #expect(injected.status == .unprocessableContent)
            #expect(try harness.outboxKinds() == ["receipt"], "nothing queued for a refused message")

            let sent = try await pia.post(page + "/messages", ["subject": "Interview", "body": "Could you come on Tuesday?\r\n\r\nKind regards, Pia"], csrfFrom: page)
            #expect(sent.status == .seeOther)
            #expect(sent.headers[.location] == page + "?saved=message-sent#messages")
            // Said where the browser returns (the messages), not at the top, out of sight.
            let sentPage = String(buffer: try await pia.get(try #require(sent.headers[.location])).body)
            #expect(Self.section("messages", of: sentPage).contains("Your message was sent to the applicant."))
            #expect(!Self.beforeSection("messages", of: sentPage).contains("Your message was sent"))

            let outsider = Browser(client)
            try await outsider.signIn("outsider@example.org", WebHarness.password)
            #expect(try await outsider.post(page + "/messages", ["subject": "Hi", "body": "Hi"], csrfFrom: "/staff").status == .notFound)

            // Ole reads Lethe in Danish: the mail to him is in Danish from then on.
            let ole = Browser(client)
            try await ole.signIn("ole@example.org", WebHarness.password)
            _ = try await ole.get("/language/da?return=/staff")
            #expect(String(buffer: try await ole.get("/staff").body).contains("lang=\"da\""))

            let mail = try #require(try await harness.deliverMail().first)
            #expect(headerText("Subject", in: mail) == "Interview")
            #expect(mail.contains("Could you come on Tuesday?"))
            #expect(!mail.contains("Auto-Submitted"), "a person wrote it")
            let link = try harness.linkPath(in: mail)
            #expect(link.hasSuffix("#messages"))
            let thread = link.components(separatedBy: "#")[0]

            let applicant = Browser(client)
            let receipt = String(buffer: try await applicant.get(thread).body)
            #expect(receipt.contains("Could you come on Tuesday?"))
            #expect(receipt.contains("The hiring panel"))
            let empty = try await applicant.post(thread + "/messages", ["body": "  "], csrfFrom: thread)
            #expect(empty.status == .unprocessableContent)
            #expect(String(buffer: empty.body).contains("Write your answer."))
            let replied = try await applicant.post(thread + "/messages", ["body": "Tuesday suits me. Marker-7731"], csrfFrom: thread)
            #expect(replied.status == .seeOther)
            #expect(replied.headers[.location] == thread + "?saved=reply-sent#messages")
            let repliedPage = String(buffer: try await applicant.get(try #require(replied.headers[.location])).body)
            #expect(Self.section("messages", of: repliedPage).contains("Your message was sent to the hiring panel."))
            #expect(!Self.beforeSection("messages", of: repliedPage).contains("Your message was sent"))

            let notices = try await harness.deliverMail()
            #expect(notices.count == 2, "one to each panel member")
            #expect(notices.filter { $0.contains("ole@example.org") }.allSatisfy { $0.contains("har svaret") && !$0.contains("has answered") })
            #expect(notices.filter { $0.contains("pia@example.org") }.allSatisfy { $0.contains("has answered") })
            #expect(notices.filter { $0.contains("ole@example.org") }.count == 1)
            for notice in notices {
                #expect(!notice.contains("Marker-7731"))
                #expect(!notice.contains("Ada"))
                #expect(try harness.linkPath(in: notice) == page + "#messages")
            }
            let panelPage = String(buffer: try await pia.get(page).body)
            #expect(panelPage.contains("Tuesday suits me. Marker-7731"))
            #expect(panelPage.contains("The applicant"))
        }
        #expect(try harness.auditCount("message.sent") == 1)
        #expect(try harness.auditCount("message.received") == 1)
        let export = try await harness.database.applicationRecord(id: id).map { ApplicantExport(record: $0, exportedAt: Date()) }
        #expect(export?.messages.map(\.from) == ["hiring panel", "applicant"])
    }

    @Test func rejectingOffersHRsRejectionTextWithTheNameFilledIn() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(title: "Archivist")
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.makeStaff("hr@example.org", role: .hr)
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (id, _) = try harness.onlyApplication()
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let standard = String(buffer: try await hr.get("/hr/message-templates").body)
            #expect(standard.contains("After careful consideration"))
            let missing = try await hr.post("/hr/message-templates", [
                "interview_subject": "Interview", "interview_body": "Come", "rejection_subject": "", "rejection_body": "No",
                "offer_subject": "Offer", "offer_body": "Yes",
            ], csrfFrom: "/hr/message-templates")
            #expect(missing.status == .unprocessableContent)
            #expect(String(buffer: missing.body).contains("Give the rejection a subject."))
            #expect(String(buffer: missing.body).contains(##"<li><a href="#rejection-subject">Give the rejection a subject.</a></li>"##))
            #expect(String(buffer: missing.body).contains(">Come</textarea>"), "what was typed is kept")
            #expect(try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM message_template")! } == 0)
            let saved = try await hr.post("/hr/message-templates", [
                "interview_subject": "Interview for {vacancy}", "interview_body": "Dear {name}, come.", "rejection_subject": "About {vacancy}",
                "rejection_body": "Dear {name}, we chose someone else for {vacancy}.", "offer_subject": "Offer", "offer_body": "Yes",
            ], csrfFrom: "/hr/message-templates")
            #expect(saved.status == .seeOther)

            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let page = "/staff/applications/\(id)"
            let rejected = try await pia.post(page + "/status", ["status": "rejected"], csrfFrom: page)
            #expect(rejected.status == .seeOther)
            let location = try #require(rejected.headers[.location])
            #expect(location.hasPrefix(page + "?template=rejection"))
            let offered = String(buffer: try await pia.get(String(location.prefix { $0 != "#" })).body)
            #expect(offered.contains("The rejection message is ready below"))
            #expect(offered.contains("value=\"About Archivist\""))
            #expect(offered.contains("Dear Ada Applicant, we chose someone else for Archivist."))
        }
    }
}

@Suite struct PasswordResetByMailTests {
    @Test func hrsResetSendsALinkThatWorksOnceForThirtyMinutes() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let pia = try await harness.makeStaff("pia@example.org")
        try await harness.makeStaff("hr@example.org", role: .hr)
        let newPassword = "a quiet harbour at dawn"
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let reset = try await hr.post("/hr/staff/\(pia.id!)/reset-password", [:], csrfFrom: "/hr")
            #expect(reset.status == .ok)
            let page = String(buffer: reset.body)
            #expect(page.contains("They were sent an e-mail with a link"))
            #expect(page.range(of: #"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"#, options: .regularExpression) == nil, "no code on the page")

            let mail = try #require(try await harness.deliverMail(at: clock.now).first)
            #expect(headerText("To", in: mail) == "Pia <pia@example.org>")
            let link = try harness.linkPath(in: mail)
            let code = try #require(link.components(separatedBy: "code=").last)
            let visitor = Browser(client)
            let form = String(buffer: try await visitor.get(link).body)
            #expect(form.contains("value=\"\(code)\""))
            clock.advance(20 * 60)
            let done = try await visitor.post("/login/reset", ["email": "pia@example.org", "code": code, "password": newPassword, "password_confirm": newPassword], csrfFrom: link)
            #expect(done.status == .seeOther)
            #expect(try await Browser(client).signIn("pia@example.org", newPassword).status == .seeOther)
            #expect(try await visitor.post("/login/reset", ["email": "pia@example.org", "code": code, "password": "another quiet harbour", "password_confirm": "another quiet harbour"], csrfFrom: link).status == .unauthorized)

            // A second link, used after 31 minutes, has run out.
            _ = try await hr.post("/hr/staff/\(pia.id!)/reset-password", [:], csrfFrom: "/hr")
            let late = try harness.linkPath(in: try #require(try await harness.deliverMail(at: clock.now).first))
            clock.advance(31 * 60)
            let lateCode = try #require(late.components(separatedBy: "code=").last)
            #expect(try await visitor.post("/login/reset", ["email": "pia@example.org", "code": lateCode, "password": newPassword, "password_confirm": newPassword], csrfFrom: late).status == .unauthorized)
        }
        let delivered = try harness.workspace.direct { db in try Row.fetchAll(db, sql: "SELECT recipient, body FROM outbox_message WHERE kind = 'password_reset'") }
        #expect(delivered.count == 2)
        #expect(delivered.allSatisfy { ($0["recipient"] as String?) == nil && ($0["body"] as String?) == nil })
    }
}

@Suite struct AssessmentFormTests {
    @Test func aMissingScoreKeepsTheNotesAndTheOtherScoresAndMarksTheField() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (id, _) = try harness.onlyApplication()
        let page = "/staff/applications/\(id)"
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let refused = try await pia.post(page + "/assessment", ["competencies": "4", "qualifications": "", "experience": "2", "notes": "Strong archive work; ask about Danish."], csrfFrom: page)
            #expect(refused.status == .unprocessableContent)
            let html = String(buffer: refused.body)
            #expect(html.contains(">Strong archive work; ask about Danish.</textarea>"), "the notes typed are kept")
            #expect(html.contains(#"<option value="4" selected>4</option>"#) && html.contains(#"<option value="2" selected>2</option>"#))
            #expect(html.contains(#"id="qualifications-error">Choose a score from 1 to 5."#))
            #expect(!html.contains(#"id="competencies-error""#))
        }
        #expect(try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assessment")! } == 0)
    }
}
