import Foundation
import GRDB
import LetheTestSupport
import Testing
@testable import LetheCore

@Suite struct MailCompositionTests {
    let composer = MailComposer(from: MailAddress("no-reply@lethe.example", name: "Lethe Rekruttering")!, replyTo: MailAddress("hr@lethe.example"))

    func compose(to: MailAddress, subject: String, body: String, automatic: Bool = true) -> ComposedMail {
        composer.compose(messageId: "<abc.lethe@lethe.example>", to: to, subject: subject, body: body, automatic: automatic, date: Date(timeIntervalSince1970: 1_790_000_000))
    }

    func headers(_ mail: ComposedMail) -> [String] {
        mail.text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
    }

    @Test func danishLettersSurviveAsEncodedWordsAndQuotedPrintable() {
        let mail = compose(to: MailAddress("soeren@example.dk", name: "Søren Ærø")!, subject: "Tak for din ansøgning: Arkivar på Østerbro", body: "Kære Søren,\n\nVi har modtaget din ansøgning.")
        #expect(mail.text.unicodeScalars.allSatisfy { $0.isASCII }, "the message must be 7-bit")
        #expect(headers(mail).contains("To: =?utf-8?q?S=C3=B8ren_=C3=86r=C3=B8?= <soeren@example.dk>"))
        #expect(headers(mail).first { $0.hasPrefix("Subject: ") }!.contains("=?utf-8?q?Tak_for_din_ans=C3=B8gning"))
        #expect(mail.text.contains("K=C3=A6re S=C3=B8ren,\r\n\r\nVi har modtaget din ans=C3=B8gning."))
        #expect(headers(mail).contains("Message-ID: <abc.lethe@lethe.example>"))
        #expect(headers(mail).contains("Auto-Submitted: auto-generated"))
        #expect(headers(mail).contains("Reply-To: <hr@lethe.example>"))
        #expect(headers(mail).contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(!headers(compose(to: MailAddress("a@example.dk")!, subject: "Hi", body: "x", automatic: false)).contains { $0.hasPrefix("Auto-Submitted") })
    }

    @Test func longLinesAreSoftBrokenAndEveryLineEndsInCRLF() {
        let mail = compose(to: MailAddress("a@example.dk")!, subject: String(repeating: "Æ", count: 60), body: String(repeating: "å", count: 200) + "\n" + String(repeating: "x", count: 300))
        for line in mail.text.components(separatedBy: "\r\n") {
            #expect(line.count <= 78, "a line of \(line.count) characters")
            #expect(!line.contains("\n") && !line.contains("\r"))
        }
    }

    @Test func noValueCanInjectAHeader() {
        #expect(MailAddress("eve@example.com\r\nBcc: victim@example.com") == nil)
        #expect(MailAddress("eve@example.com>, victim@example.com") == nil)
        let address = MailAddress("eve@example.com", name: "Eve\r\nBcc: victim@example.com")!
        let mail = compose(to: address, subject: OutgoingMail(kind: .message, to: address, subject: "Hello\r\nBcc: victim@example.com", body: "").subject, body: "Bcc: in the body is text")
        #expect(!headers(mail).contains { $0.hasPrefix("Bcc") })
        #expect(headers(mail).count == headers(compose(to: MailAddress("a@example.dk", name: "A")!, subject: "Hi", body: "")).count)
    }

    @Test func anAddressRefusesEverySpaceAndBreakOfAnyScriptAsFoundationNamesThem() {
        // Every scalar against the definition in Foundation's terms: its spaces and line breaks,
        // the controls, and what an address holds only quoted.
        let quotedOnly = CharacterSet(charactersIn: "<>\"(),;:[]\\")
        var disagreements: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let foundation = CharacterSet.whitespacesAndNewlines.contains(scalar) || value < 0x20 || quotedOnly.contains(scalar)
            if ApplicationForm.isRefusedInAddress(scalar) != foundation { disagreements.append("U+" + String(value, radix: 16)) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
        for refused in ["ada@example\u{3000}com", "ada\u{2028}@example.com", "ada @example.com", "a(da)@example.com", "ada@exam\u{A0}ple.com", "ada@exam\u{200B}ple.com"] {
            #expect(MailAddress(refused) == nil, "\(refused.debugDescription)")
        }
        #expect(MailAddress("åsa.ørsted+cv@exämple.dk") != nil)
    }

    @Test func anApplicationFormRefusesLineBreaksInOneLineFields() {
        let form = ApplicationForm(values: ["name": "Eve\r\nBcc: victim@example.com", "email": "eve@example.com", "privacy_ack": "yes", "cover_letter": "Two\r\nlines"])
        guard case .failure(let errors) = form.validate(international: false) else { Issue.record("accepted"); return }
        #expect(errors["name"] == "form.oneLine")
        #expect(errors["cover_letter"] == nil)
    }

    @Test func aOneLineFieldRefusesEveryControlAndNoLetter() {
        func refusedAsMoreThanOneLine(_ name: String) -> Bool {
            let form = ApplicationForm(values: ["name": name, "email": "eve@example.com", "privacy_ack": "yes"])
            guard case .failure(let errors) = form.validate(international: false) else { return false }
            return errors["name"] == "form.oneLine"
        }
        for control in ["\t", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}"] {
            #expect(refusedAsMoreThanOneLine("Eve\(control)Smith"), "U+\(String(control.unicodeScalars.first!.value, radix: 16))")
        }
        for name in ["Åsa Ørsted-Ñúñez", "Zoë\u{A0}Ng", "李小龙", "Ævar Þór"] {
            #expect(!refusedAsMoreThanOneLine(name), "\(name)")
        }
    }

    @Test func transportErrorsKeepNoAddresses() {
        #expect(MailTransportError("msmtp: recipient address victim@example.com not accepted").reason == "msmtp: recipient address <address> not accepted")
    }
}

@Suite struct OutboxTests {
    let workspace: TestWorkspace
    let database: AppDatabase
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let policy = OutboxPolicy()

    init() throws {
        workspace = try TestWorkspace()
        database = workspace.database
    }

    func queue(_ kind: MailKind = .receipt) async throws -> Int64 {
        try await database.writer.write { db in
            try AppDatabase.enqueue(db, OutgoingMail(kind: kind, to: MailAddress("ada@example.com", name: "Ada")!, subject: "Hi", body: "Text"), applicationId: nil, at: now).id!
        }
    }

    func message(_ id: Int64) throws -> OutboxMessage? {
        try database.read { db in try OutboxMessage.fetchOne(db, key: id) }
    }

    @Test func aClaimedMessageIsNotTakenAgainUntilItsLeaseRunsOut() async throws {
        let id = try await queue()
        #expect(try await database.claimDueMail(limit: 10, policy: policy, at: now).map(\.id) == [id])
        #expect(try await database.claimDueMail(limit: 10, policy: policy, at: now.addingTimeInterval(60)).isEmpty)
        // The loop that held it crashed: after the lease, another takes it, with the same Message-ID.
        let again = try await database.claimDueMail(limit: 10, policy: policy, at: now.addingTimeInterval(policy.lease + 1))
        #expect(again.map(\.id) == [id])
        #expect(again.first?.messageId == (try message(id))?.messageId)
    }

    @Test func failuresWaitAMinuteDoublingToAnHourAndFailAfterThreeDays() async throws {
        let id = try await queue()
        var clock = now
        var waits: [TimeInterval] = []
        for _ in 1...8 {
            _ = try await database.claimDueMail(limit: 1, policy: policy, at: clock)
            try await database.recordMailOutcomes(delivered: [], failed: [(id, "exit 75")], policy: policy, at: clock)
            let next = try #require(try message(id)).nextAttemptAt
            waits.append(next.timeIntervalSince(clock))
            clock = next
        }
        #expect(waits.map { Int($0.rounded()) } == [60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(try message(id)?.status == .pending)
        _ = try await database.claimDueMail(limit: 1, policy: policy, at: now.addingTimeInterval(policy.giveUpAfter))
        try await database.recordMailOutcomes(delivered: [], failed: [(id, "exit 75")], policy: policy, at: now.addingTimeInterval(policy.giveUpAfter))
        #expect(try message(id)?.status == .failed)
        #expect(try message(id)?.lastError == "exit 75")
    }

    @Test func aDeliveredMessageKeepsOnlyItsKindTimesAndStatus() async throws {
        let id = try await queue()
        _ = try await database.claimDueMail(limit: 1, policy: policy, at: now)
        try await database.recordMailOutcomes(delivered: [id], failed: [], policy: OutboxPolicy(), at: now)
        let delivered = try #require(try message(id))
        #expect(delivered.status == .delivered)
        #expect(delivered.recipient == nil && delivered.recipientName == nil && delivered.subject == nil && delivered.body == nil)
        #expect(delivered.kind == .receipt)
    }

    @Test func anErasureNoticeLeavesNothingOnceDeliveredOrFailed() async throws {
        let delivered = try await queue(.erasureNotice)
        _ = try await database.claimDueMail(limit: 1, policy: policy, at: now)
        try await database.recordMailOutcomes(delivered: [delivered], failed: [], policy: OutboxPolicy(), at: now)
        #expect(try message(delivered) == nil)
        let failed = try await queue(.erasureNotice)
        _ = try await database.claimDueMail(limit: 1, policy: policy, at: now)
        try await database.recordMailOutcomes(delivered: [], failed: [(failed, "exit 1")], policy: policy, at: now.addingTimeInterval(policy.giveUpAfter))
        #expect(try message(failed) == nil)
    }

    @Test func deliveryHandsEachDueMessageToTheTransportAndRetriesFailures() async throws {
        let id = try await queue()
        let maildir = try MaildirTransport(directory: workspace.root.appendingPathComponent("mail").path)
        let delivery = MailDelivery(database: database, transport: maildir, composer: MailComposer(from: MailAddress("no-reply@lethe.example")!))
        #expect(try await delivery.runOnce(now: now).delivered == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir.directory + "/new")
        #expect(files.count == 1)
        let text = try String(contentsOfFile: maildir.directory + "/new/" + files[0], encoding: .utf8)
        #expect(text.contains("Message-ID: <\(try #require(try message(id)).messageId).lethe@lethe.example>"))
        #expect(try await delivery.runOnce(now: now).delivered == 0)

        let failing = MailDelivery(database: database, transport: try SendmailTransport(command: "/bin/false"), composer: delivery.composer)
        let second = try await queue()
        let pass = try await failing.runOnce(now: now)
        #expect(pass.failed == ["sendmail: exit 1: "])
        #expect(try message(second)?.status == .pending)
    }

    @Test func twoDeliveryLoopsOnOneDatabaseHandEachMessageOnOnce() async throws {
        for _ in 0..<120 { _ = try await queue() }
        let maildir = try MaildirTransport(directory: workspace.root.appendingPathComponent("mail").path)
        let composer = MailComposer(from: MailAddress("no-reply@lethe.example")!)
        // Two loops, one of them over a second connection as another process would have.
        let first = MailDelivery(database: database, transport: maildir, composer: composer)
        let second = MailDelivery(database: try AppDatabase(path: workspace.databasePath), transport: maildir, composer: composer)
        async let a = first.runOnce(now: now, batch: 7)
        async let b = second.runOnce(now: now, batch: 7)
        let (passA, passB) = try await (a, b)
        #expect(passA.delivered + passB.delivered == 120)
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir.directory + "/new")
        #expect(files.count == 120)
        let ids = try files.map { name -> String in
            let text = try String(contentsOfFile: maildir.directory + "/new/" + name, encoding: .utf8)
            return String(text[try #require(text.range(of: #"Message-ID: <[^>]+>"#, options: .regularExpression))])
        }
        #expect(Set(ids).count == 120, "a message was handed on twice")
    }
}
