import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// More of what a hostile or broken client sends, beyond IntakeTests' refusals. Each case
/// asserts its status and what is (or is not) stored.
@Suite struct BadInputCatalogueTests {
    typealias Change = @Sendable (inout MultipartBody, Data) -> Void

    static func replaceCV(_ name: String, _ data: @escaping @Sendable (Data) -> Data) -> Change {
        { body, pdf in
            body.remove("cv")
            body.file("cv", fileName: name, contentType: "application/pdf", data: data(pdf))
        }
    }

    static let refused: [(String, HTTPResponse.Status, Change)] = [
        ("double extension, HTML inside", .unsupportedMediaType, replaceCV("cv.pdf.html") { _ in try! Fixtures.data("page.html") }),
        ("double extension hiding a PDF as .exe", .unsupportedMediaType, replaceCV("cv.pdf.exe") { $0 }),
        ("DOCX content named .pdf", .unsupportedMediaType, replaceCV("cv.pdf") { _ in try! Fixtures.data("cv.docx") }),
        ("shell script named .txt", .unsupportedMediaType, replaceCV("cv.txt") { _ in try! Fixtures.data("script.sh") }),
        ("ELF named .docx", .unsupportedMediaType, replaceCV("cv.docx") { _ in try! Fixtures.executable() }),
        ("ZIP of nothing named .docx", .unsupportedMediaType, replaceCV("cv.docx") { _ in Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)) }),
        ("file name only an extension", .unsupportedMediaType, replaceCV(".pdf") { $0 }),
        ("over-long e-mail", .unprocessableContent, { body, _ in body.set("email", String(repeating: "a", count: 300) + "@example.com") }),
        ("over-long phone", .unprocessableContent, { body, _ in body.set("phone", String(repeating: "1", count: 200)) }),
        ("over-long cover letter", .unprocessableContent, { body, _ in body.set("cover_letter", String(repeating: "x", count: 10_001)) }),
        ("over-long reference name", .unprocessableContent, { body, _ in body.set("reference_1_name", String(repeating: "r", count: 201)) }),
        ("NUL byte in the name", .unprocessableContent, { body, _ in body.set("name", "Ada\u{0}Applicant") }),
        ("letters in the phone number", .unprocessableContent, { body, _ in body.set("phone", "call me maybe") }),
        ("privacy acknowledgement other than yes", .unprocessableContent, { body, _ in body.set("privacy_ack", "on") }),
        ("reference permission other than yes", .unprocessableContent, { body, _ in body.set("reference_1_permission", "true") }),
        ("permission for a reference never named", .unprocessableContent, { body, _ in body.field("reference_3_permission", "yes") }),
        ("deeply nested keys instead of the name", .unprocessableContent, { body, _ in
            body.remove("name")
            body.field("name" + String(repeating: "[a]", count: 500), "Ada")
        }),
        ("the same field twice", .badRequest, { body, _ in body.field("email", "second@example.com") }),
        ("two CV files", .badRequest, { body, pdf in body.file("cv", fileName: "second.pdf", data: pdf) }),
        ("CSRF token of another browser", .forbidden, { body, _ in body.set("csrf_token", "c29tZW9uZS1lbHNlcy10b2tlbi1zb21lb25lLWVsc2U") }),
    ]

    @Test(arguments: refused.map { ($0.0, $0.1) })
    func refusedAndNothingStored(_ name: String, _ status: HTTPResponse.Status) async throws {
        let change = Self.refused.first { $0.0 == name }!.2
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        let before = try harness.workspace.snapshot()
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var body = MultipartBody.application(session, cv: pdf)
            change(&body, pdf)
            let response = try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie)
            #expect(response.status == status, "\(name)")
        }
        let after = try harness.workspace.snapshot()
        #expect(after.holdsTheSameApplications(as: before), "\(name)")
        // The good CV of a form refused for its text is kept for the browser, and only then.
        #expect(after.kept.count == (status == .unprocessableContent ? 1 : 0), "\(name)")
    }

    static let hostileText = [
        "<script>alert(document.cookie)</script>",
        "'); DROP TABLE application; --",
        "\" onmouseover=\"alert(1)",
        "{{csrfToken}} {{{name}}}",
    ]

    @Test(arguments: hostileText)
    func scriptAndSQLInEveryTextFieldAreStoredAsTextAndRenderedEscaped(_ payload: String) async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let pdf = try Fixtures.data("cv.pdf")
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var body = MultipartBody.application(session, cv: pdf)
            for field in ["name", "cover_letter", "reference_1_name", "reference_1_contact", "reference_1_relationship"] {
                body.set(field, "\(field): \(payload)")
            }
            let submitted = try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie)
            #expect(submitted.status == .seeOther)
            let receipt = String(buffer: try await client.execute(uri: submitted.headers[.location]!, method: .get).body)
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let (applicationId, _) = try harness.onlyApplication()
            let panelPage = String(buffer: try await pia.get("/staff/applications/\(applicationId)").body)
            let list = String(buffer: try await pia.get("/staff/vacancies/\(vacancy.id!)").body)
            for html in [receipt, panelPage, list] {
                #expect(!html.contains(payload) || !payload.contains(where: { "<>\"'".contains($0) }))
                #expect(!html.contains("<script>alert"))
                #expect(!html.contains("\" onmouseover=\"alert"))
            }
        }
        let stored = try harness.database.read { db in try String.fetchOne(db, sql: "SELECT name FROM application")! }
        #expect(stored == "name: \(payload)")
        #expect(try harness.database.counts().applications == 1)
    }

    @Test func fileNamesLoseNulBidiOverridesAndPathsButStayRecognisable() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        let hostile = "../../etc/\u{202E}fdp.exe\u{202C}\u{0}Curriculum.pdf"
        _ = try await harness.submit(to: vacancy, cv: pdf, cvName: hostile)
        let stored = try harness.database.read { db in try String.fetchOne(db, sql: "SELECT original_name FROM document")! }
        #expect(stored == "fdp.exeCurriculum.pdf")
        #expect(!stored.contains("/"))
        #expect(!stored.unicodeScalars.contains { $0.value == 0 || $0.value == 0x202E })
    }

    @Test func forgedAndExpiredSessionCookiesGetTheSignInPage() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        try await harness.makeStaff("pia@example.org")
        try await harness.withClient { client in
            for forged in ["", "x", String(repeating: "A", count: 43), "'; DROP TABLE session; --", String(repeating: "z", count: 5000)] {
                let browser = Browser(client)
                browser.cookies[StaffSessionMiddleware.cookieName] = forged
                let response = try await browser.get("/staff")
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login")
            }
            let expired = Browser(client)
            try await expired.signIn("pia@example.org", WebHarness.password)
            clock.advance(13 * 3600)
            #expect(try await expired.get("/staff").headers[.location] == "/login")
        }
        #expect(try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM session")! } == 0)
    }

    @Test func sequentialAndRandomIdsOfOtherVacanciesAnswer404WithoutALeak() async throws {
        let harness = try await WebHarness()
        let mine = try await harness.makeVacancy(title: "Mine")
        let theirs = try await harness.makeVacancy(title: "Theirs")
        let pdf = try Fixtures.data("cv.pdf")
        for i in 0..<3 { _ = try await harness.submit(to: theirs, cv: pdf, email: "ada\(i)@example.com") }
        try await harness.makeStaff("pia@example.org", panels: [mine])
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            var uris = (1...6).flatMap { ["/staff/applications/\($0)", "/staff/applications/\($0)/documents/\($0)"] }
            uris += (0..<6).map { _ in "/staff/applications/\(Int64.random(in: 1...Int64.max))" }
            uris += ["/staff/applications/-1", "/staff/applications/1e3", "/staff/applications/%00", "/staff/vacancies/\(theirs.id!)"]
            for uri in uris {
                let response = try await pia.get(uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(!String(buffer: response.body).contains("Ada"), "\(uri)")
            }
        }
    }

    @Test func headAndRangeRequestsOnDocumentsFollowTheSameRules() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        _ = try await harness.submit(to: vacancy, cv: pdf)
        let (applicationId, documentId) = try harness.onlyApplication()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.makeStaff("out@example.org")
        let uri = "/staff/applications/\(applicationId)/documents/\(documentId)"
        try await harness.withClient { client in
            let outsider = Browser(client)
            try await outsider.signIn("out@example.org", WebHarness.password)
            #expect(try await outsider.send(uri, method: .head).status == .notFound)
            let ranged = try await outsider.send(uri, method: .get, headers: [.range: "bytes=0-10"])
            #expect(ranged.status == .notFound)
            #expect(ranged.body.readableBytes < 5000 && !String(buffer: ranged.body).contains("%PDF"))

            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let head = try await pia.send(uri, method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            // Ranges are not offered: the whole document comes back, exactly.
            let range = try await pia.send(uri, method: .get, headers: [.range: "bytes=0-10"])
            #expect(range.status == .ok)
            #expect(Data(buffer: range.body) == pdf)
        }
    }
}
