import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Logging
import Synchronization
import Testing
@testable import LetheWeb

/// Collects every log line the application writes, at every level.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func handler(label: String) -> any LogHandler {
        CapturingHandler(log: self, label: label)
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let all = metadata.merging(extra ?? [:]) { $1 }
            log.append("\(level) \(label) \(message) \(all)")
        }
    }
}

@Suite struct RetentionTests {

    func count(_ harness: WebHarness, _ table: String) throws -> Int {
        try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
    }

    /// Row counts of everything an application owns, plus the files.
    func footprint(_ harness: WebHarness) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in ["application", "document", "reference", "consent", "notice_acknowledgement", "reference_check", "pending_file_removal", "thread_message", "private_link"] {
            result[table] = try count(harness, table)
        }
        result["files"] = try harness.workspace.uploadedFiles().count
        return result
    }

    @Test func theErasureChartLabelsEveryWeekItDrawsAndDrawsNoEmptyWeek() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try harness.workspace.insertSyntheticApplications(vacancyId: vacancy.id!, count: 4, at: harness.options.clock.now)
        let now = harness.options.clock.now
        // Three due in 10 days, one in 40 days.
        try harness.workspace.direct { db in
            try db.execute(sql: "UPDATE application SET retention_until = ? WHERE id IN (SELECT id FROM application ORDER BY id LIMIT 3)", arguments: [now.addingTimeInterval(10 * 86_400)])
            try db.execute(sql: "UPDATE application SET retention_until = ? WHERE id = (SELECT max(id) FROM application)", arguments: [now.addingTimeInterval(40 * 86_400)])
        }
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let page = String(buffer: try await hr.get("/hr/retention").body)
            #expect(page.contains("4 applications are due for erasure in the next 26 weeks; the busiest week has 3."))
            #expect(page.components(separatedBy: "<meter").count - 1 == 2)
            #expect(page.contains(#"<meter min="0" max="3" value="3" aria-hidden="true"></meter> <span class="bar-count">3</span>"#))
            #expect(page.contains(#"<meter min="0" max="3" value="1" aria-hidden="true"></meter> <span class="bar-count">1</span>"#))
        }
    }

    @Test func theErasureChartSaysOneApplicationOrNoneInWords() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            var page = String(buffer: try await hr.get("/hr/retention").body)
            #expect(page.contains("No application is due for erasure in the next 26 weeks."))
            #expect(!page.contains("<meter"))
            try harness.workspace.insertSyntheticApplications(vacancyId: vacancy.id!, count: 1, at: harness.options.clock.now)
            page = String(buffer: try await hr.get("/hr/retention").body)
            #expect(page.contains("One application is due for erasure in the next 26 weeks."))
            #expect(!page.contains("1 applications"))
            _ = try await hr.get("/language/da?return=/hr/retention")
            page = String(buffer: try await hr.get("/hr/retention").body)
            #expect(page.contains("Én ansøgning skal slettes de næste 26 uger."))
        }
    }

    @Test func purgeKeepsTheApplicationUntilSixMonthsAndThenErasesEverything() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let vacancy = try await harness.makeVacancy()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let submitted = try harness.database.read { db in try Date.fetchOne(db, sql: "SELECT submitted_at FROM application")! }
        let end = harness.options.retentionPolicy.baseEnd(submittedAt: submitted)
        #expect(harness.options.retentionPolicy.calendar.dateComponents([.month], from: submitted, to: end).month == 6)
        let purger = harness.services.purger

        let early = try await purger.purgeExpired(asOf: end.addingTimeInterval(-1), now: end)
        #expect(early.purged == 0)
        #expect(try footprint(harness)["application"] == 1)
        #expect(try footprint(harness)["files"] == 1)

        let due = try await purger.purgeExpired(asOf: end, now: end)
        #expect(due == .init(purged: 1, documents: 1))
        let after = try footprint(harness)
        #expect(after.values.allSatisfy { $0 == 0 }, "\(after)")
        #expect(try harness.auditCount("application.erased") == 1)
        #expect(try count(harness, "purge_record") == 1)
    }

    @Test func consentKeepsTheApplicationUntilItsEndAndWithdrawingMakesItDueAtOnce() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let vacancy = try await harness.makeVacancy()
        let receipt = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let base = receipt.components(separatedBy: "?")[0]
        let purger = harness.services.purger
        func retentionUntil() throws -> Date { try harness.database.read { db in try Date.fetchOne(db, sql: "SELECT retention_until FROM application")! } }
        let submitted = try harness.database.read { db in try Date.fetchOne(db, sql: "SELECT submitted_at FROM application")! }
        let sixMonths = harness.options.retentionPolicy.baseEnd(submittedAt: submitted)

        try await harness.withClient { client in
            let applicant = Browser(client)
            #expect(try await applicant.post("\(base)/consent", ["months": "12"], csrfFrom: base).status == .seeOther)
            let page = String(buffer: try await applicant.get(base).body)
            #expect(page.contains("You consented to our keeping your application until"))
        }
        let consentEnd = try retentionUntil()
        #expect(DayFormat.calendar.dateComponents([.month], from: submitted, to: consentEnd).month == 12)
        #expect(try await purger.purgeExpired(asOf: sixMonths.addingTimeInterval(86_400), now: sixMonths).purged == 0)
        #expect(try await purger.purgeExpired(asOf: consentEnd.addingTimeInterval(-1), now: sixMonths).purged == 0)
        #expect(try footprint(harness)["application"] == 1)

        // Eight months on, the applicant withdraws consent: the six months are over, so it is due now.
        clock.advance(sixMonths.timeIntervalSince(clock.now) + 60 * 86_400)
        try await harness.withClient { client in
            let applicant = Browser(client)
            let withdrawn = try await applicant.post("\(base)/consent/withdraw", [:], csrfFrom: base)
            #expect(withdrawn.status == .seeOther)
        }
        #expect(try retentionUntil() == sixMonths)
        #expect(try await purger.purgeExpired(asOf: clock.now, now: clock.now).purged == 1)
        #expect(try footprint(harness).values.allSatisfy { $0 == 0 })
    }

    @Test func applicantConsentNeverReachesBeyondTheMaximum() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let vacancy = try await harness.makeVacancy()
        let base = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        // Five months on (still kept), 24 more months would pass the 24-month maximum.
        clock.advance(150 * 86_400)
        try await harness.withClient { client in
            let applicant = Browser(client)
            let given = try await applicant.post("\(base)/consent", ["months": "24"], csrfFrom: base)
            #expect(given.status == .seeOther)
            let refused = try await applicant.post("\(base)/consent", ["months": "36"], csrfFrom: base)
            #expect(refused.status == .unprocessableContent)
        }
        let (submitted, until) = try harness.database.read { db in
            (try Date.fetchOne(db, sql: "SELECT submitted_at FROM application")!, try Date.fetchOne(db, sql: "SELECT max(until) FROM consent")!)
        }
        #expect(abs(until.timeIntervalSince(harness.options.retentionPolicy.maximumEnd(submittedAt: submitted))) < 1)
    }

    @Test func hrRecordsConsentWithEvidenceWithinTheMaximum() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (applicationId, _) = try harness.onlyApplication()
        try await harness.makeStaff("hr@example.org", role: .hr)
        let now = harness.options.clock.now
        let inAYear = DayFormat.string(from: now.addingTimeInterval(365 * 86_400))
        let inFiveYears = DayFormat.string(from: now.addingTimeInterval(5 * 365 * 86_400))
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let page = "/hr/applications/\(applicationId)"
            let tooFar = try await hr.post(page + "/consent", ["until": inFiveYears, "evidence": "phone call"], csrfFrom: page)
            #expect(tooFar.status == .unprocessableContent)
            #expect(String(buffer: tooFar.body).contains("Consent can run at most until"))
            let noEvidence = try await hr.post(page + "/consent", ["until": inAYear, "evidence": ""], csrfFrom: page)
            #expect(noEvidence.status == .unprocessableContent)
            #expect(try count(harness, "consent") == 0)
            #expect(try await hr.post(page + "/consent", ["until": inAYear, "evidence": "reply by e-mail of 3 March"], csrfFrom: page).status == .seeOther)
            #expect(String(buffer: try await hr.get(page).body).contains("reply by e-mail of 3 March"))
            let dashboard = String(buffer: try await hr.get("/hr/retention").body)
            // Its consent keeps the one application beyond the next 26 weeks.
            #expect(dashboard.contains("No application is due for erasure in the next 26 weeks."))
            #expect(dashboard.contains(vacancy.title))
        }
        let consent = try harness.database.read { db in try Consent.fetchOne(db)! }
        #expect(consent.method == .hr)
        #expect(consent.evidence == "reply by e-mail of 3 March")
        #expect(consent.recordedBy != nil)
        let retentionNotice = try await harness.database.currentNotices()[.retention]!.id!
        #expect(consent.noticeId == retentionNotice)
        #expect(DayFormat.string(from: try harness.database.read { db in try Date.fetchOne(db, sql: "SELECT retention_until FROM application")! }) == inAYear)
    }

    @Test func erasedApplicationLeavesNoTraceOfItselfItsThreadOrItsMailInDatabaseWalUploadsOrLogs() async throws {
        let log = CapturedLog()
        let harness = try await WebHarness {
            $0.makeLogHandler = { log.handler(label: $0) }
            $0.logLevel = .trace
        }
        let marker = "Zq7Marker\(UInt32.random(in: 100_000...999_999))"
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let pdf = try Fixtures.data("cv.pdf") + Data("% \(marker)\n".utf8)
        try await harness.withClient { client in
            let applicant = Browser(client)
            let session = try await applicant.formSession(vacancy: vacancy.id!)
            var body = MultipartBody.application(session, cv: pdf, cvName: "\(marker).pdf")
            body.set("name", "\(marker) Applicant")
            body.set("email", "\(marker.lowercased())@example.com")
            body.set("cover_letter", "Letter \(marker)")
            body.set("reference_1_name", "Ref \(marker)")
            let submitted = try await applicant.send("/jobs/\(vacancy.id!)/apply", method: .post, headers: [.contentType: body.contentType], body: body.encoded())
            #expect(submitted.status == .seeOther)
            let (applicationId, _) = try harness.onlyApplication()
            // A thread in both directions, its e-mails still waiting in the outbox.
            let panel = Browser(client)
            try await panel.signIn("pia@example.org", WebHarness.password)
            let page = "/staff/applications/\(applicationId)"
            #expect(try await panel.post(page + "/messages", ["subject": "Question \(marker)", "body": "Panel text \(marker)"], csrfFrom: page).status == .seeOther)
            let link = try #require(submitted.headers[.location]).components(separatedBy: "?")[0]
            #expect(try await applicant.post(link + "/messages", ["body": "Answer \(marker)"], csrfFrom: link).status == .seeOther)
            #expect(try harness.outboxKinds() == ["receipt", "message", "reply_notice"])
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            #expect(try await hr.post("/hr/applications/\(applicationId)/erase", ["confirm": "yes"], csrfFrom: "/hr/applications/\(applicationId)").status == .seeOther)
            #expect(try await hr.get("/hr/applications/\(applicationId)").status == .notFound)
        }
        // The receipt, the thread and its e-mails went with the application; the erasure notice
        // waits until it is handed on.
        #expect(try count(harness, "thread_message") == 0)
        #expect(try count(harness, "private_link") == 0)
        #expect(try harness.workspace.direct { db in try String.fetchAll(db, sql: "SELECT kind FROM outbox_message") } == ["erasure_notice"])
        let pass = try await #require(harness.services.delivery).runOnce(now: Date())
        #expect(pass.delivered == 1)
        #expect(try count(harness, "outbox_message") == 0)
        let sent = try FileManager.default.contentsOfDirectory(atPath: harness.options.resolvedMailDirectory + "/new")
        #expect(sent.count == 1)
        let needle = Data(marker.utf8)
        let lowerNeedle = Data(marker.lowercased().utf8)
        var places = [harness.workspace.databasePath, harness.workspace.databasePath + "-wal"]
        places += try harness.workspace.uploadedFiles().map { harness.workspace.uploadedFile($0).path }
        for path in places {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
            #expect(bytes.range(of: needle) == nil, "\(path)")
            #expect(bytes.range(of: lowerNeedle) == nil, "\(path)")
        }
        #expect(!log.text.isEmpty)
        #expect(!log.text.contains(marker))
        #expect(!log.text.lowercased().contains(marker.lowercased()))
    }

    @Test func applicantWithdrawsAfterConfirmingAndTheLinkIsGone() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let base = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        try await harness.withClient { client in
            let applicant = Browser(client)
            let confirm = String(buffer: try await applicant.get(base + "/withdraw").body)
            #expect(confirm.contains("cannot be undone"))
            #expect(try await applicant.post(base + "/withdraw", [:], csrfFrom: base + "/withdraw").status == .seeOther)
            #expect(try count(harness, "application") == 1)
            let done = try await applicant.post(base + "/withdraw", ["confirm": "yes"], csrfFrom: base + "/withdraw")
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/withdrawn")
            #expect(String(buffer: try await applicant.get("/withdrawn").body).contains("Your application was withdrawn"))
            #expect(try await applicant.get(base).status == .notFound)
            #expect(try await applicant.get(base + "/export").status == .notFound)
        }
        #expect(try footprint(harness).values.allSatisfy { $0 == 0 })
        let reason = try harness.database.read { db in try String.fetchOne(db, sql: "SELECT reason FROM purge_record")! }
        #expect(reason == "withdrawal")
    }

    @Test func exportHoldsEverythingStoredAndTheApplicantDownloadsTheirCV() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(international: true)
        let docx = try Fixtures.data("cv.docx")
        let base = try await harness.submit(to: vacancy, cv: docx, cvName: "my cv.docx").components(separatedBy: "?")[0]
        let (applicationId, documentId) = try harness.onlyApplication()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let destination = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM transfer_destination")! }
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            _ = try await pia.post("/staff/applications/\(applicationId)/transfers", ["destination_id": "\(destination)", "what": "CV", "shared_on": "2026-01-02"], csrfFrom: "/staff")
            let applicant = Browser(client)
            _ = try await applicant.post("\(base)/consent", ["months": "12"], csrfFrom: base)
            let response = try await applicant.get(base + "/export")
            #expect(response.status == .ok)
            #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(json["name"] as? String == "Ada Applicant")
            #expect(json["email"] as? String == "ada@example.com")
            #expect(json["status"] as? String == "received")
            #expect(json["retentionUntil"] != nil)
            let documents = try #require(json["documents"] as? [[String: Any]])
            #expect(documents.first?["fileName"] as? String == "my cv.docx")
            #expect(documents.first?["sizeBytes"] as? Int == docx.count)
            let references = try #require(json["references"] as? [[String: Any]])
            #expect(references.first?["permissionGiven"] as? Bool == true)
            #expect((json["noticesAcknowledged"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["privacy", "transfer", "reference"])
            #expect((json["consents"] as? [[String: Any]])?.count == 1)
            #expect((json["recipients"] as? [[String: Any]])?.first?["recipient"] as? String == "Partner Inc.")
            let own = try await applicant.get(base + "/documents/\(documentId)")
            #expect(Data(buffer: own.body) == docx)
            #expect(try await applicant.get(base + "/documents/\(documentId + 1000)").status == .notFound)
        }
    }

    @Test(arguments: [Purger.Step.afterSelecting, .afterCommit, .betweenUnlinks])
    func purgeInterruptedAtAnyStepConvergesOnTheNextRun(step: Purger.Step) async throws {
        func scenario() async throws -> (WebHarness, Date) {
            let clock = TestClock()
            let harness = try await WebHarness { $0.clock = clock.wallClock }
            let vacancy = try await harness.makeVacancy(closesInDays: 400)
            let pdf = try Fixtures.data("cv.pdf")
            for i in 0..<3 { _ = try await harness.submit(to: vacancy, cv: pdf, email: "ada\(i)@example.com") }
            clock.advance(200 * 86_400)
            _ = try await harness.submit(to: vacancy, cv: pdf, email: "later@example.com") // not yet due
            return (harness, clock.now)
        }
        let (clean, cleanNow) = try await scenario()
        try await clean.services.purger.purgeExpired(asOf: cleanNow, now: cleanNow)
        let expected = try footprint(clean)
        #expect(expected["application"] == 1)
        #expect(expected["files"] == 1)

        let (crashed, now) = try await scenario()
        var failing = crashed.services.purger
        failing.batchSize = 2
        failing.faultInjection = { if $0 == step { throw InjectedCrash() } }
        await #expect(throws: InjectedCrash.self) { try await failing.purgeExpired(asOf: now, now: now) }
        var again = crashed.services.purger
        again.batchSize = 2
        try await again.purgeExpired(asOf: now, now: now)
        #expect(try footprint(crashed) == expected)
        let verification = try await crashed.database.verifyAuditLog()
        #expect(verification == .intact(events: try count(crashed, "audit_event")))
    }

    /// A batch's files are unlinked by several threads at once; every one of them goes, also
    /// when a crash between two unlinks interrupts the first run.
    @Test func aLargeBatchLeavesNoFileEvenAfterACrashBetweenItsUnlinks() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let vacancy = try await harness.makeVacancy(closesInDays: 400)
        let pdf = try Fixtures.data("cv.pdf")
        for i in 0..<60 { _ = try await harness.submit(to: vacancy, cv: pdf, email: "ada\(i)@example.com") }
        #expect(try harness.workspace.uploadedFiles().count == 60)
        clock.advance(200 * 86_400)
        var failing = harness.services.purger
        failing.batchSize = 60
        failing.faultInjection = { if $0 == .betweenUnlinks { throw InjectedCrash() } }
        await #expect(throws: InjectedCrash.self) { try await failing.purgeExpired(asOf: clock.now, now: clock.now) }
        #expect(try harness.workspace.uploadedFiles().count == 59) // the rows are gone, the files queued
        var again = harness.services.purger
        again.batchSize = 60
        let summary = try await again.purgeExpired(asOf: clock.now, now: clock.now)
        #expect(summary.purged == 0) // erased by the first run; this one finished its unlinks
        #expect(try harness.workspace.uploadedFiles().isEmpty)
        #expect(try harness.database.counts().applications == 0)
    }

    @Test func orphanSweepRemovesOldUnreferencedFilesOnly() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let writer = try harness.workspace.store.makeWriter()
        try writer.write([1, 2, 3])
        _ = try await writer.finish() // a file no row references, as a crash between rename and COMMIT leaves
        #expect(try harness.workspace.uploadedFiles().count == 2)
        #expect(try await harness.services.purger.sweepOrphans(now: Date()) == 0) // still within the grace period
        #expect(try await harness.services.purger.sweepOrphans(now: Date().addingTimeInterval(3600)) == 1)
        let remaining = try harness.workspace.uploadedFiles()
        let referenced = try harness.database.read { db in try String.fetchAll(db, sql: "SELECT storage_name FROM document") }
        #expect(remaining == referenced)
    }
}

struct InjectedCrash: Error {}

@Suite struct RetentionSchedulerTests {
    @Test func serverPurgesDueApplicationsAtStartAndOnItsInterval() async throws {
        let clock = TestClock()
        let harness = try await WebHarness {
            $0.clock = clock.wallClock
            $0.purgeIntervalSeconds = 1
        }
        let vacancy = try await harness.makeVacancy(closesInDays: 400)
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        #expect(try harness.database.counts().applications == 1)
        clock.advance(200 * 86_400)
        try await harness.withClient(.live) { _ in
            // The scheduler runs at start and then every second; give it a few rounds.
            for _ in 0..<50 where try harness.database.counts().applications > 0 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(try harness.database.counts().applications == 0)
        #expect(try harness.workspace.uploadedFiles().isEmpty)
    }
}
