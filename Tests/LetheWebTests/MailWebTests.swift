import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// Decodes a quoted-printable body (soft breaks and `=XX`), for reading what a message says.
func quotedPrintableDecoded(_ text: String) -> String {
    let joined = text.replacingOccurrences(of: "=\r\n", with: "")
    var bytes: [UInt8] = []
    var index = joined.utf8.startIndex
    let utf8 = joined.utf8
    while index != utf8.endIndex {
        let byte = utf8[index]
        if byte == UInt8(ascii: "="), let end = utf8.index(index, offsetBy: 3, limitedBy: utf8.endIndex),
           let value = UInt8(String(decoding: utf8[utf8.index(after: index)..<end], as: UTF8.self), radix: 16) {
            bytes.append(value)
            index = end
        } else {
            bytes.append(byte)
            index = utf8.index(after: index)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The text of a header, its RFC 2047 encoded words (Q encoding) decoded.
func headerText(_ name: String, in mail: String) -> String? {
    let head = mail.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
    guard let line = head.components(separatedBy: "\r\n").first(where: { $0.hasPrefix(name + ": ") }) else { return nil }
    var value = String(line.dropFirst(name.count + 2))
    while let start = value.range(of: "=?utf-8?q?"), let end = value.range(of: "?=", range: start.upperBound..<value.endIndex) {
        let decoded = quotedPrintableDecoded(value[start.upperBound..<end.lowerBound].replacingOccurrences(of: "_", with: " "))
        var after = value[end.upperBound...]
        if after.hasPrefix(" =?utf-8?q?") { after = after.dropFirst() }
        value = value[..<start.lowerBound] + decoded + after
    }
    return value
}

extension WebHarness {
    /// The messages in the Maildir, oldest first, as text.
    func sentMail() throws -> [String] {
        let directory = options.resolvedMailDirectory + "/new"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return try names.sorted().map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
    }
}

@Suite struct MailWebTests {
    @Test func theReceiptIsQueuedWithTheApplicationAndItsLinkOpensTheReceipt() async throws {
        let harness = try await WebHarness { $0.publicURL = "https://jobs.example.test" }
        let vacancy = try await harness.makeVacancy(title: "Arkivar på Østerbro")
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let queued = try harness.workspace.direct { db in try Row.fetchAll(db, sql: "SELECT kind, status, application_id FROM outbox_message") }
        #expect(queued.map { $0["kind"] as String } == ["receipt"])
        #expect(try harness.sentMail().isEmpty, "nothing is sent from the request")

        let pass = try await #require(harness.services.delivery).runOnce(now: Date())
        #expect(pass.delivered == 1)
        let mail = try #require(try harness.sentMail().first)
        #expect(headerText("To", in: mail) == "Ada Applicant <ada@example.com>")
        #expect(headerText("Subject", in: mail) == "We received your application: Arkivar på Østerbro")
        #expect(mail.contains("Auto-Submitted: auto-generated"))
        let body = quotedPrintableDecoded(mail)
        #expect(body.contains("Thank you for applying for Arkivar på Østerbro"))
        #expect(body.contains("(cv.pdf) and 1 reference(s)"))
        let link = try #require(body.range(of: #"https://jobs\.example\.test/me/[A-Za-z0-9_-]{43}"#, options: .regularExpression))
        let path = String(body[link].dropFirst("https://jobs.example.test".count))
        try await harness.withClient { client in
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Ada Applicant"))
        }
        let delivered = try harness.workspace.direct { db in try Row.fetchOne(db, sql: "SELECT status, recipient, body FROM outbox_message")! }
        #expect(delivered["status"] as String == "delivered")
        #expect((delivered["recipient"] as String?) == nil && (delivered["body"] as String?) == nil)
    }

    @Test func withMailOffNothingIsQueued() async throws {
        let harness = try await WebHarness { $0.mailTransport = .none }
        _ = try await harness.submit(to: try await harness.makeVacancy(), cv: try Fixtures.data("cv.pdf"))
        #expect(try harness.workspace.direct { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox_message")! } == 0)
        #expect(harness.services.delivery == nil)
    }

    @Test func hrSeesTheQueueWithoutAddressesAndRetriesOrCancelsAFailedMessage() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("hr@example.org", role: .hr)
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (application, _) = try harness.onlyApplication()
        let failing = MailDelivery(database: harness.database, transport: try SendmailTransport(command: "/bin/false"), composer: try #require(harness.services.delivery).composer)
        let start = Date()
        _ = try await failing.runOnce(now: start)
        _ = try await harness.database.claimDueMail(limit: 10, policy: OutboxPolicy(), at: start.addingTimeInterval(73 * 3600))
        let id = try harness.workspace.direct { db in try Int64.fetchOne(db, sql: "SELECT id FROM outbox_message")! }
        try await harness.database.recordMailOutcomes(delivered: [], failed: [(id, "sendmail: exit 1")], policy: OutboxPolicy(), at: start.addingTimeInterval(73 * 3600))
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let page = String(buffer: try await hr.get("/hr/mail").body)
            #expect(page.contains("Receipt"))
            #expect(page.contains("/hr/applications/\(application)"))
            #expect(page.contains("sendmail: exit 1"))
            #expect(!page.contains("ada@example.com"))
            #expect(!page.contains("Ada Applicant"))
            #expect(try await hr.post("/hr/mail/\(id)/retry", [:], csrfFrom: "/hr/mail").status == .seeOther)
            #expect(try harness.workspace.direct { db in try String.fetchOne(db, sql: "SELECT status FROM outbox_message")! } == "pending")
            #expect(try await hr.post("/hr/mail/\(id)/cancel", [:], csrfFrom: "/hr/mail").status == .seeOther)
            let cancelled = try harness.workspace.direct { db in try Row.fetchOne(db, sql: "SELECT status, body FROM outbox_message")! }
            #expect(cancelled["status"] as String == "cancelled")
            #expect((cancelled["body"] as String?) == nil)
            #expect(try await hr.post("/hr/mail/\(id)/retry", [:], csrfFrom: "/hr/mail").status == .notFound)
        }
    }
}
