import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// A CV that arrived with a form refused for another reason is kept for the same browser for an
/// hour: the applicant fixes the form without choosing the file again, and nobody else sees it.
@Suite struct KeptUploadTests {
    static func keptRows(_ harness: WebHarness) throws -> [KeptUpload] {
        try harness.database.read { db in try KeptUpload.fetchAll(db) }
    }

    @Test func aRefusedFormKeepsTheCVForThatBrowserOnlyAndTheNextTryUsesIt() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var body = MultipartBody.application(session, cv: pdf)
            body.remove("name")
            let refused = try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie)
            #expect(refused.status == .unprocessableContent)
            let page = String(buffer: refused.body)
            #expect(page.contains(#"id="cv-kept"><strong>cv.pdf</strong>"#))
            #expect(page.contains("We keep it for one hour, for this browser only."))
            #expect(!page.contains(#"type="file" required"#))

            // Another browser, and the same browser on another vacancy, see no kept file.
            let stranger = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let strangerPage = try await client.execute(uri: "/jobs/\(vacancy.id!)", method: .get, headers: [.cookie: stranger.cookie])
            #expect(!String(buffer: strangerPage.body).contains("cv-kept"))
            let other = try await harness.makeVacancy(title: "Other")
            let otherPage = try await client.execute(uri: "/jobs/\(other.id!)", method: .get, headers: [.cookie: session.cookie])
            #expect(!String(buffer: otherPage.body).contains("cv-kept"))
            // Nor does a browser that sends no file and has none kept get away without one.
            var strangerBody = MultipartBody.application(stranger, cv: pdf)
            strangerBody.remove("cv")
            strangerBody.file("cv", fileName: "", contentType: "application/octet-stream", data: Data())
            let strangerTry = try await client.post("/jobs/\(vacancy.id!)/apply", strangerBody, cookie: stranger.cookie)
            #expect(strangerTry.status == .unprocessableContent)
            #expect(String(buffer: strangerTry.body).contains(#"id="cv-error">"#))

            // The same browser reloading the page still sees its file.
            let reloaded = try await client.execute(uri: "/jobs/\(vacancy.id!)", method: .get, headers: [.cookie: session.cookie])
            #expect(String(buffer: reloaded.body).contains(#"id="cv-kept"><strong>cv.pdf</strong>"#))

            // Fixed, sent without choosing the file again (a browser sends an empty file part).
            var fixed = MultipartBody.application(session, cv: pdf)
            fixed.remove("cv")
            fixed.file("cv", fileName: "", contentType: "application/octet-stream", data: Data())
            let sent = try await client.post("/jobs/\(vacancy.id!)/apply", fixed, cookie: session.cookie)
            #expect(sent.status == .seeOther)
        }
        #expect(try Self.keptRows(harness).isEmpty)
        let document = try harness.database.read { db in try Document.fetchOne(db)! }
        #expect(document.originalName == "cv.pdf")
        #expect(try harness.workspace.store.readAll(storageName: document.storageName, key: .init(data: document.encryptionKey)) == pdf)
        #expect(try harness.workspace.uploadedFiles() == [document.storageName])
    }

    @Test func aNewFileReplacesTheKeptOneAndNothingIsLeftBehind() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        let docx = try Fixtures.data("cv.docx")
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var first = MultipartBody.application(session, cv: pdf)
            first.set("email", "not-an-address")
            #expect(try await client.post("/jobs/\(vacancy.id!)/apply", first, cookie: session.cookie).status == .unprocessableContent)
            let firstKept = try Self.keptRows(harness)
            #expect(firstKept.count == 1)

            // A second refused try with another file: only the newer file is kept.
            var second = MultipartBody.application(session, cv: pdf)
            second.set("email", "still-not-an-address")
            second.remove("cv")
            second.file("cv", fileName: "cv.docx", data: docx)
            let page = try await client.post("/jobs/\(vacancy.id!)/apply", second, cookie: session.cookie)
            #expect(String(buffer: page.body).contains("<strong>cv.docx</strong>"))
            let secondKept = try Self.keptRows(harness)
            #expect(secondKept.count == 1 && secondKept[0].storageName != firstKept[0].storageName)
            #expect(try harness.workspace.uploadedFiles() == [secondKept[0].storageName])

            // Sent with a third file: that one is stored and the kept one is removed.
            var third = MultipartBody.application(session, cv: pdf)
            third.remove("cv")
            third.file("cv", fileName: "final.pdf", data: pdf)
            #expect(try await client.post("/jobs/\(vacancy.id!)/apply", third, cookie: session.cookie).status == .seeOther)
        }
        #expect(try Self.keptRows(harness).isEmpty)
        let document = try harness.database.read { db in try Document.fetchOne(db)! }
        #expect(document.originalName == "final.pdf")
        #expect(try harness.workspace.uploadedFiles() == [document.storageName])
    }

    @Test func theSchedulerErasesAKeptFileAfterAnHourAndNotBefore() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let vacancy = try await harness.makeVacancy()
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var body = MultipartBody.application(session, cv: try Fixtures.data("cv.pdf"))
            body.remove("privacy_ack")
            #expect(try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie).status == .unprocessableContent)
        }
        let kept = try #require(try Self.keptRows(harness).first)
        let purger = harness.services.purger
        // Past the orphan grace, but within the hour: a kept file is not an orphan.
        clock.advance(50 * 60)
        try await purger.sweepOrphans(now: clock.now)
        #expect(try harness.workspace.uploadedFiles() == [kept.storageName])
        clock.advance(11 * 60)
        #expect(try await purger.sweepOrphans(now: clock.now) == 1)
        #expect(try Self.keptRows(harness).isEmpty)
        #expect(try harness.workspace.uploadedFiles().isEmpty)
    }
}

/// One application per e-mail address and vacancy: a second is not stored, and the applicant is
/// told and offered their link.
@Suite struct DuplicateApplicationTests {
    @Test func aSecondApplicationWithTheSameAddressIsRefusedAndTheLinkOffered() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        _ = try await harness.submit(to: vacancy, cv: pdf)
        let before = try harness.workspace.snapshot()
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let again = try await client.post("/jobs/\(vacancy.id!)/apply", .application(session, cv: pdf, email: "ADA@Example.com"), cookie: session.cookie)
            #expect(again.status == .conflict)
            let page = String(buffer: again.body)
            #expect(page.contains(#"id="email-error">You have already applied for this vacancy with this e-mail address."#))
            #expect(page.contains(#"value="Ada Applicant""#))
            #expect(page.contains(#"<input type="hidden" name="email" value="ADA@Example.com">"#))
            #expect(try harness.workspace.snapshot() == before)

            // The offered button asks for the link by e-mail, like the lost-link page.
            let sent = try await Browser(client).post("/me", ["email": "ADA@Example.com"], csrfFrom: "/jobs/\(vacancy.id!)")
            #expect(sent.status == .seeOther)
            #expect(try harness.outboxKinds().filter { $0 == "lost_link" }.count == 1)

            // The same address may apply for another vacancy.
            let other = try await harness.makeVacancy(title: "Other")
            let elsewhere = try await FormSession.open(vacancy: other.id!, with: client)
            #expect(try await client.post("/jobs/\(other.id!)/apply", .application(elsewhere, cv: pdf), cookie: elsewhere.cookie).status == .seeOther)
        }
    }

    @Test func withoutMailTheApplicantIsToldToUseTheirReceiptsLink() async throws {
        let harness = try await WebHarness { $0.mailTransport = .none }
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        _ = try await harness.submit(to: vacancy, cv: pdf)
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let again = try await client.post("/jobs/\(vacancy.id!)/apply", .application(session, cv: pdf), cookie: session.cookie)
            #expect(again.status == .conflict)
            let page = String(buffer: again.body)
            #expect(page.contains("use the private link from your receipt."))
            #expect(!page.contains(#"action="/me""#))
        }
        #expect(try harness.database.counts().applications == 1)
    }
}
