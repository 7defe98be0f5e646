import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

@Suite struct PasswordTests {
    static let newPassword = "a quiet harbour at dawn"

    @Test func commonAndPersonalPasswordsAreRefusedWithAClearMessage() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            for (password, message) in [
                ("1234567890qwerty", "list of common and breached passwords"),
                ("1Qaz2wsx3edc4rfv", "list of common and breached passwords"),
                ("my name is margrethe", "must not contain the e-mail address or the name of the account"),
            ] {
                let refused = try await hr.post("/hr/staff", ["email": "margrethe@example.org", "name": "Margrethe Madsen", "role": "staff", "password": password], csrfFrom: "/hr")
                #expect(refused.status == .unprocessableContent, "\(password)")
                #expect(String(buffer: refused.body).contains(message), "\(password)")
                #expect(String(buffer: refused.body).contains(#"<h2>The account was not added. Please check:</h2>"#))
                #expect(String(buffer: refused.body).contains(##"<li><a href="#staff-password">"##), "the summary links to the password field")
            }
            #expect(try await harness.database.staffUser(email: "margrethe@example.org") == nil)
        }
    }

    @Test func staffChangeTheirOwnPasswordAndTheirOtherSessionsEnd() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("pia@example.org")
        try await harness.withClient { client in
            let desk = Browser(client)
            try await desk.signIn("pia@example.org", WebHarness.password)
            let phone = Browser(client)
            try await phone.signIn("pia@example.org", WebHarness.password)

            let wrong = try await desk.post("/staff/password", ["current_password": "not my password", "password": Self.newPassword, "password_confirm": Self.newPassword], csrfFrom: "/staff/password")
            #expect(wrong.status == .unprocessableContent)
            #expect(String(buffer: wrong.body).contains("The current password is wrong."))
            let differ = try await desk.post("/staff/password", ["current_password": WebHarness.password, "password": Self.newPassword, "password_confirm": Self.newPassword + "!"], csrfFrom: "/staff/password")
            #expect(String(buffer: differ.body).contains("The two new passwords are not the same."))
            let common = try await desk.post("/staff/password", ["current_password": WebHarness.password, "password": "1234567890qwerty", "password_confirm": "1234567890qwerty"], csrfFrom: "/staff/password")
            #expect(common.status == .unprocessableContent)

            let changed = try await desk.post("/staff/password", ["current_password": WebHarness.password, "password": Self.newPassword, "password_confirm": Self.newPassword], csrfFrom: "/staff/password")
            #expect(changed.status == .seeOther)
            #expect(String(buffer: try await desk.get("/staff/password?saved=password").body).contains("Your password was changed"))
            #expect(try await desk.get("/staff").status == .ok)
            #expect(try await phone.get("/staff").headers[.location] == "/login")
            #expect(try await Browser(client).signIn("pia@example.org", WebHarness.password).status == .unauthorized)
            #expect(try await Browser(client).signIn("pia@example.org", Self.newPassword).status == .seeOther)
        }
        #expect(try harness.auditCount("staff.password_changed") == 1)
    }

    @Test func withMailOffHRForcesAResetAndTheOneTimeCodeSetsANewPasswordOnce() async throws {
        let harness = try await WebHarness { $0.mailTransport = .none }
        let pia = try await harness.makeStaff("pia@example.org")
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let session = Browser(client)
            try await session.signIn("pia@example.org", WebHarness.password)
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let reset = try await hr.post("/hr/staff/\(pia.id!)/reset-password", [:], csrfFrom: "/hr")
            #expect(reset.status == .ok)
            let page = String(buffer: reset.body)
            let range = try #require(page.range(of: #"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"#, options: .regularExpression))
            let code = String(page[range])
            #expect(reset.headers[.cacheControl] == "no-store")
            #expect(!String(buffer: try await hr.get("/hr").body).contains(code), "the code is shown more than once")

            #expect(try await session.get("/staff").headers[.location] == "/login")
            #expect(try await Browser(client).signIn("pia@example.org", WebHarness.password).status == .unauthorized)

            let visitor = Browser(client)
            let wrongCode = try await visitor.post("/login/reset", ["email": "pia@example.org", "code": "AAAA-BBBB-CCCC", "password": Self.newPassword, "password_confirm": Self.newPassword], csrfFrom: "/login/reset")
            #expect(wrongCode.status == .unauthorized)
            #expect(String(buffer: wrongCode.body).contains("the one-time code is wrong"))
            let weak = try await visitor.post("/login/reset", ["email": "pia@example.org", "code": code, "password": "1234567890qwerty", "password_confirm": "1234567890qwerty"], csrfFrom: "/login/reset")
            #expect(weak.status == .unprocessableContent)
            // Typed in lower case and without dashes, as people do.
            let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
            let done = try await visitor.post("/login/reset", ["email": "PIA@example.org", "code": typed, "password": Self.newPassword, "password_confirm": Self.newPassword], csrfFrom: "/login/reset")
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/login?saved=password")
            #expect(try await Browser(client).signIn("pia@example.org", Self.newPassword).status == .seeOther)
            let again = try await visitor.post("/login/reset", ["email": "pia@example.org", "code": code, "password": "another fine pass phrase", "password_confirm": "another fine pass phrase"], csrfFrom: "/login/reset")
            #expect(again.status == .unauthorized)
        }
        #expect(try harness.auditCount("staff.password_reset") == 1)
        #expect(try harness.auditCount("staff.password_set") == 1)
    }

    @Test func theResetCodeFormIsThrottledLikeSignIn() async throws {
        let harness = try await WebHarness()
        let pia = try await harness.makeStaff("pia@example.org")
        let code = try #require(try await harness.database.resetPassword(staffUserId: pia.id!, actor: .system, at: Date()))
        try await harness.withClient { client in
            let guesser = Browser(client)
            for attempt in 1...5 {
                _ = try await guesser.post("/login/reset", ["email": "pia@example.org", "code": "AAAA-BBBB-CCC\(attempt)", "password": Self.newPassword, "password_confirm": Self.newPassword], csrfFrom: "/login/reset")
            }
            let paused = try await guesser.post("/login/reset", ["email": "pia@example.org", "code": code.text, "password": Self.newPassword, "password_confirm": Self.newPassword], csrfFrom: "/login/reset")
            #expect(paused.status == .tooManyRequests)
        }
    }

    @Test func theCommandLinePrintsAOneTimeCodeThatWorks() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: AuditCommandTests.executable.path), "build the lethe executable first (swift build)")
        let harness = try await WebHarness()
        try await harness.makeStaff("pia@example.org")
        let result = try AuditCommandTests().run(["user", "reset-password", "--email", "pia@example.org", "--database", harness.workspace.databasePath])
        #expect(result.status == 0, "\(result.output)")
        let range = try #require(result.output.range(of: #"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"#, options: .regularExpression))
        let unknown = try AuditCommandTests().run(["user", "reset-password", "--email", "nobody@example.org", "--database", harness.workspace.databasePath])
        #expect(unknown.status != 0)
        #expect(unknown.output.contains("no account"))
        try await harness.withClient { client in
            let done = try await Browser(client).post("/login/reset", ["email": "pia@example.org", "code": String(result.output[range]), "password": Self.newPassword, "password_confirm": Self.newPassword], csrfFrom: "/login/reset")
            #expect(done.status == .seeOther)
        }
    }
}
