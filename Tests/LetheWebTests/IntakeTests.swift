import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

@Suite struct IntakeTests {
    @Test func validApplicationIsStoredOnceWithItsEncryptedCVAndAuditEvent() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let response = try await client.post("/jobs/\(vacancy.id!)/apply", .application(session, cv: pdf), cookie: session.cookie)
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/me/"))

            let receipt = try await client.execute(uri: location, method: .get)
            #expect(receipt.status == .ok)
            let html = String(buffer: receipt.body)
            #expect(html.contains("Ada Applicant"))
            #expect(html.contains("cv.pdf"))
        }
        let counts = try harness.database.counts()
        #expect(counts.applications == 1)
        #expect(counts.documents == 1)
        let (document, actions) = try harness.database.read { db in
            (try Document.fetchOne(db)!, try String.fetchAll(db, sql: "SELECT action FROM audit_event"))
        }
        #expect(actions.filter { $0 == "application.submitted" }.count == 1)
        #expect(try harness.workspace.uploadedFiles() == [document.storageName])
        let stored = try harness.workspace.store.readAll(storageName: document.storageName, key: .init(data: document.encryptionKey))
        #expect(stored == pdf)
        #expect(document.mediaType == "application/pdf")
        let onDisk = try Data(contentsOf: harness.workspace.uploadedFile(document.storageName))
        #expect(onDisk.range(of: Data("Curriculum vitae".utf8)) == nil)
    }

    @Test func applicantTokenIsStoredOnlyAsItsHashOnceTheReceiptIsHandedOn() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        let location = try await harness.submit(to: vacancy, cv: pdf)
        let token = String(location.dropFirst("/me/".count).prefix { $0 != "?" })
        #expect(token.count == 43)
        // The receipt carries the link until the transport has it; then only the hash is left.
        #expect(try await #require(harness.services.delivery).runOnce(now: Date()).delivered == 1)
        #expect(try harness.sentMail().map(quotedPrintableDecoded).joined().contains(token))
        let databaseBytes = try Data(contentsOf: URL(fileURLWithPath: harness.workspace.databasePath))
        let walBytes = (try? Data(contentsOf: URL(fileURLWithPath: harness.workspace.databasePath + "-wal"))) ?? Data()
        #expect(databaseBytes.range(of: Data(token.utf8)) == nil)
        #expect(walBytes.range(of: Data(token.utf8)) == nil)
    }

    /// One way a request can be wrong, and the status it must get.
    struct Rejection: CustomTestStringConvertible, Sendable {
        let name: String
        let status: HTTPResponse.Status
        let international: Bool
        let build: @Sendable (_ vacancyId: Int64, _ session: FormSession, _ pdf: Data) -> (uri: String, headers: HTTPFields, body: ByteBuffer, sendCookie: Bool)
        var testDescription: String { name }

        static func form(_ name: String, _ status: HTTPResponse.Status, international: Bool = false, sendCookie: Bool = true, _ change: @escaping @Sendable (inout MultipartBody, Data) -> Void) -> Rejection {
            Rejection(name: name, status: status, international: international) { id, session, pdf in
                var body = MultipartBody.application(session, cv: pdf, international: international)
                change(&body, pdf)
                return ("/jobs/\(id)/apply", [.contentType: body.contentType], body.encoded(), sendCookie)
            }
        }
    }

    static let rejections: [Rejection] = [
        .form("missing name", .unprocessableContent) { body, _ in body.remove("name") },
        .form("bad e-mail", .unprocessableContent) { body, _ in body.set("email", "not-an-address") },
        .form("missing privacy acknowledgement", .unprocessableContent) { body, _ in body.remove("privacy_ack") },
        .form("missing CV", .unprocessableContent) { body, _ in body.remove("cv") },
        .form("empty CV", .unprocessableContent) { body, _ in
            body.remove("cv")
            body.file("cv", fileName: "cv.pdf", data: Data())
        },
        .form("over-long name", .unprocessableContent) { body, _ in body.set("name", String(repeating: "a", count: 5000)) },
        .form("international without transfer acknowledgement", .unprocessableContent, international: true) { body, _ in body.remove("transfer_ack") },
        .form("transfer acknowledgement on a national vacancy", .unprocessableContent) { body, _ in body.field("transfer_ack", "yes") },
        .form("reference without contact", .unprocessableContent) { body, _ in body.remove("reference_1_contact") },
        .form("HTML disguised as PDF", .unsupportedMediaType) { body, _ in
            body.remove("cv")
            body.file("cv", fileName: "cv.pdf", contentType: "application/pdf", data: try! Fixtures.data("page.html"))
        },
        .form("executable disguised as PDF", .unsupportedMediaType) { body, _ in
            body.remove("cv")
            body.file("cv", fileName: "cv.pdf", contentType: "application/pdf", data: try! Fixtures.executable())
        },
        .form("PDF named .docx", .unsupportedMediaType) { body, pdf in
            body.remove("cv")
            body.file("cv", fileName: "cv.docx", data: pdf)
        },
        .form("too large", .contentTooLarge) { body, pdf in
            body.remove("cv")
            body.file("cv", fileName: "cv.pdf", data: pdf + Data(count: 1024 * 1024))
        },
        .form("no CSRF token", .forbidden) { body, _ in body.remove("csrf_token") },
        .form("forged CSRF token", .forbidden) { body, _ in body.set("csrf_token", "forged-token-forged-token-forged-token-1234") },
        .form("token without its cookie", .forbidden, sendCookie: false) { _, _ in },
        Rejection(name: "unknown vacancy", status: .notFound, international: false) { _, session, pdf in
            let body = MultipartBody.application(session, cv: pdf)
            return ("/jobs/999999/apply", [.contentType: body.contentType], body.encoded(), true)
        },
        Rejection(name: "missing boundary", status: .badRequest, international: false) { id, session, pdf in
            let body = MultipartBody.application(session, cv: pdf)
            return ("/jobs/\(id)/apply", [.contentType: "multipart/form-data"], body.encoded(), true)
        },
        Rejection(name: "not multipart", status: .badRequest, international: false) { id, session, _ in
            ("/jobs/\(id)/apply", [.contentType: "application/x-www-form-urlencoded"], ByteBuffer(string: "csrf_token=\(session.token)&name=A"), true)
        },
        Rejection(name: "malformed multipart", status: .badRequest, international: false) { id, session, pdf in
            var body = MultipartBody.application(session, cv: pdf).encoded()
            body.moveWriterIndex(to: body.writerIndex - 40) // cut before the closing boundary
            return ("/jobs/\(id)/apply", [.contentType: MultipartBody().contentType], body, true)
        },
        Rejection(name: "form without its closing boundary", status: .badRequest, international: false) { id, session, pdf in
            var body = MultipartBody.application(session, cv: pdf).encoded()
            body.moveWriterIndex(to: body.writerIndex - 4) // "--\r\n"
            body.writeString("\r\n")
            return ("/jobs/\(id)/apply", [.contentType: MultipartBody().contentType], body, true)
        },
        Rejection(name: "part header name with a byte above 0x7F", status: .badRequest, international: false) { id, session, pdf in
            // This stopped the whole server: MultipartKit's parser indexed a 128-entry table with the byte.
            let boundary = MultipartBody().boundary
            var body = ByteBuffer(string: "--\(boundary)\r\nN")
            body.writeBytes([0xC3, 0xA6])
            body.writeString("me: x\r\n\r\nv\r\n--\(boundary)--\r\n")
            return ("/jobs/\(id)/apply", [.contentType: MultipartBody().contentType], body, true)
        },
        Rejection(name: "part without Content-Disposition", status: .badRequest, international: false) { id, _, _ in
            let boundary = MultipartBody().boundary
            let raw = "--\(boundary)\r\nContent-Type: text/plain\r\n\r\nhello\r\n--\(boundary)--\r\n"
            return ("/jobs/\(id)/apply", [.contentType: MultipartBody().contentType], ByteBuffer(string: raw), true)
        },
        Rejection(name: "huge part header", status: .badRequest, international: false) { id, _, _ in
            let boundary = MultipartBody().boundary
            let raw = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(String(repeating: "x", count: 20_000))\"\r\n\r\nhello\r\n--\(boundary)--\r\n"
            return ("/jobs/\(id)/apply", [.contentType: MultipartBody().contentType], ByteBuffer(string: raw), true)
        },
        Rejection(name: "thousands of parts", status: .badRequest, international: false) { id, session, pdf in
            var body = MultipartBody.application(session, cv: pdf)
            for i in 0..<2000 { body.field("x\(i)", "y") }
            return ("/jobs/\(id)/apply", [.contentType: body.contentType], body.encoded(), true)
        },
    ]

    @Test(arguments: rejections)
    func rejectedApplicationAnswersItsStatusAndChangesNothing(_ rejection: Rejection) async throws {
        let harness = try await WebHarness { $0.maxUploadBytes = 1024 * 1024 }
        let vacancy = try await harness.makeVacancy(international: rejection.international)
        let pdf = try Fixtures.data("cv.pdf")
        let before = try harness.workspace.snapshot()
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let request = rejection.build(vacancy.id!, session, pdf)
            var headers = request.headers
            if request.sendCookie { headers[.cookie] = session.cookie }
            let response = try await client.execute(uri: request.uri, method: .post, headers: headers, body: request.body)
            #expect(response.status == rejection.status, "\(rejection.name)")
        }
        let after = try harness.workspace.snapshot()
        #expect(after.holdsTheSameApplications(as: before), "\(rejection.name) changed stored state")
        // A good CV sent with a form refused for another reason is kept for the browser; a
        // refused file, or a request refused outright, keeps nothing.
        let keepsCV = rejection.status == .unprocessableContent && !rejection.name.contains("CV")
        #expect(after.kept.count == (keepsCV ? 1 : 0), "\(rejection.name) kept \(after.kept.count) files")
    }

    @Test func closedVacancyAnswers410AndStoresNothing() async throws {
        let harness = try await WebHarness()
        let open = try await harness.makeVacancy()
        let closed = try await harness.makeVacancy(title: "Old job", status: .closed)
        let pdf = try Fixtures.data("cv.pdf")
        let before = try harness.workspace.snapshot()
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: open.id!, with: client)
            let response = try await client.post("/jobs/\(closed.id!)/apply", .application(session, cv: pdf), cookie: session.cookie)
            #expect(response.status == .gone)
            let page = try await client.execute(uri: "/jobs/\(closed.id!)", method: .get)
            #expect(String(buffer: page.body).contains("has closed"))
            #expect(!String(buffer: page.body).contains("<form"))
        }
        #expect(try harness.workspace.snapshot() == before)
    }

    @Test func failedFormKeepsInputShowsMessageAtFieldAndEscapesScript() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var body = MultipartBody.application(session, cv: pdf)
            body.set("name", "<script>alert('x')</script> O'Brien")
            body.set("email", "nope")
            let response = try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie)
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("&lt;script&gt;alert"))
            #expect(html.contains(#"id="email-error""#))
            #expect(html.contains("Enter an e-mail address like name@example.com."))
            #expect(html.contains(#"value="nope""#))
            #expect(html.contains(#"value="Rita Referee""#))
            #expect(html.contains(#"name="reference_1_permission" type="checkbox" value="yes" checked"#))
        }
    }

    @Test func privacyNoticeNamesTheControllerPurposesLegalBasesRetentionRightsAndTheAuthority() async throws {
        let harness = try await WebHarness { $0.controller = DataController(name: "Acme Rekruttering ApS, Vestergade 2, 8000 Aarhus", contact: "dpo@acme.example") }
        let national = try await harness.makeVacancy()
        let international = try await harness.makeVacancy(international: true, title: "Abroad")
        try await harness.withClient { client in
            let page = String(buffer: try await client.execute(uri: "/jobs/\(national.id!)", method: .get).body)
            #expect(page.contains("Acme Rekruttering ApS, Vestergade 2, 8000 Aarhus is the data controller"))
            #expect(page.contains("dpo@acme.example"))
            #expect(page.contains("erased six months after you submit it"))
            #expect(page.contains("complain to Datatilsynet"))
            for purpose in ["communicate with you as an applicant", "share your application with the members of the hiring panel",
                            "assess your competencies, qualifications and experience", "to take references"] {
                #expect(page.contains(purpose), "\(purpose)")
            }
            #expect(page.contains("Art. 6(1)(b) GDPR") && page.contains("(Art. 6(1)(f))") && page.contains("only to keep your application after the usual period"))
            let danish = String(buffer: try await client.execute(uri: "/jobs/\(national.id!)", method: .get, headers: [.acceptLanguage: "da"]).body)
            #expect(danish.contains("Acme Rekruttering ApS, Vestergade 2, 8000 Aarhus er dataansvarlig"))
            #expect(danish.contains("slettes seks måneder efter"))
            #expect(danish.contains("art. 6, stk. 1, litra b") && danish.contains("Datatilsynet"))
            #expect(!page.contains("Transfer outside the EU/EEA"))
            #expect(!page.contains(#"name="transfer_ack""#))
            let abroad = String(buffer: try await client.execute(uri: "/jobs/\(international.id!)", method: .get).body)
            #expect(abroad.contains("Transfer outside the EU/EEA"))
            #expect(abroad.contains("obtain a copy of the safeguards"))
        }
    }

    @Test func formWithoutAnyFilePartSaysWhatIsMissing() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var body = MultipartBody.application(session, cv: Data())
            body.remove("cv")
            let response = try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie)
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains(#"<p class="error" id="cv-error">Choose your CV file to upload.</p>"#))
        }
    }

    @Test func pagesCarryTheSecurityHeaders() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.withClient { client in
            for uri in ["/", "/jobs/\(vacancy.id!)", "/no-such-page"] {
                let response = try await client.execute(uri: uri, method: .get)
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("frame-ancestors 'none'"), "\(uri)")
                #expect(csp.contains("default-src 'none'"), "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(uri)")
            }
        }
    }

    @Test func csrfCookieIsHttpOnlyAndSameSite() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.withClient { client in
            let response = try await client.execute(uri: "/jobs/\(vacancy.id!)", method: .get)
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Secure"))
        }
    }

    @Test func internationalApplicationRecordsTheNoticeVersionsShown() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(international: true)
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let current = try await harness.database.currentNotices()
        let acknowledged = try harness.database.read { db in
            try Int64.fetchSet(db, sql: "SELECT notice_id FROM notice_acknowledgement")
        }
        #expect(acknowledged == [current[.privacy]!.id!, current[.transfer]!.id!, current[.reference]!.id!])
    }
}

/// A refused file is not a dead end: the form comes back with what was typed.
@Suite struct RefusedFileTests {
    func body(_ session: FormSession, cv: Data, cvName: String) -> MultipartBody {
        var body = MultipartBody()
        body.field("csrf_token", session.token)
        body.field("terms", session.terms)
        body.field("name", "Ada Applicant")
        body.field("email", "ada@example.com")
        body.field("cover_letter", "I would like this job.")
        body.field("privacy_ack", "yes")
        body.file("cv", fileName: cvName, data: cv)  // last, as the form sends it
        return body
    }

    @Test func aFileOfTheWrongTypeShowsTheFormAgainWithWhatWasTyped() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let response = try await client.post("/jobs/\(vacancy.id!)/apply", body(session, cv: Data("MZ\u{90}\0 not a document".utf8), cvName: "cv.exe"), cookie: session.cookie)
            #expect(response.status == .unsupportedMediaType)
            let page = String(buffer: response.body)
            #expect(page.contains("Your application was not sent"))
            #expect(page.contains(#"id="cv-error">This file is not a type we accept."#))
            #expect(page.contains(#"value="Ada Applicant""#) && page.contains(#"value="ada@example.com""#))
            #expect(page.contains(">I would like this job.</textarea>"))
            #expect(page.contains(#"id="privacy_ack" name="privacy_ack" type="checkbox" value="yes" required checked"#))
        }
        #expect(try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM application")! } == 0)
        #expect(try harness.workspace.uploadedFiles().isEmpty)
    }

    @Test func aDomesticApplicantIsNotToldAboutSharingOutsideTheEU() async throws {
        let harness = try await WebHarness()
        let domestic = try await harness.submit(to: try await harness.makeVacancy(), cv: try Fixtures.data("cv.pdf"))
        let international = try await harness.submit(to: try await harness.makeVacancy(international: true, title: "Abroad"), cv: try Fixtures.data("cv.pdf"))
        try await harness.withClient { client in
            let domesticPage = String(buffer: try await client.execute(uri: domestic, method: .get).body)
            let internationalPage = String(buffer: try await client.execute(uri: international, method: .get).body)
            #expect(!domesticPage.contains("Shared outside the EU/EEA"))
            #expect(internationalPage.contains("Shared outside the EU/EEA"))
        }
    }

    @Test func aFileOverTheLimitShowsTheFormAgainWithWhatWasTyped() async throws {
        let harness = try await WebHarness { $0.maxUploadBytes = 64 * 1024 }
        let vacancy = try await harness.makeVacancy()
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let big = try Fixtures.data("cv.pdf") + Data(repeating: 0x20, count: 200 * 1024)
            let response = try await client.post("/jobs/\(vacancy.id!)/apply", body(session, cv: big, cvName: "cv.pdf"), cookie: session.cookie)
            #expect(response.status == .contentTooLarge)
            let page = String(buffer: response.body)
            #expect(page.contains(#"id="cv-error">The file is larger than"#))
            #expect(page.contains(#"value="Ada Applicant""#))
            #expect(response.headers[.connection] == "close")
        }
        #expect(try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM application")! } == 0)
        #expect(try harness.workspace.uploadedFiles().isEmpty)
    }
}

@Suite struct ReceiptPageTests {
    @Test func theReceiptGivesTheLinkAsTextSaysWhatTheStatusMeansAndKeepsParagraphs() async throws {
        let harness = try await WebHarness { $0.publicURL = "https://jobs.example.test" }
        let vacancy = try await harness.makeVacancy()
        let location = try await harness.withClientReturning { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var body = MultipartBody.application(session, cv: try Fixtures.data("cv.pdf"))
            body.set("cover_letter", "First paragraph.\r\n\r\nSecond paragraph.")
            let response = try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie)
            return try #require(response.headers[.location])
        }
        try await harness.withClient { client in
            let page = String(buffer: try await client.execute(uri: location, method: .get).body)
            let path = location.components(separatedBy: "?")[0]
            #expect(page.contains(#"value="https://jobs.example.test\#(path)""#), "the private link as text")
            #expect(page.contains("the hiring panel has not started on it yet"))
            #expect(page.contains("<p>First paragraph.</p><p>Second paragraph.</p>"), "a browser's CRLF paragraphs stay paragraphs")
        }
    }
}
