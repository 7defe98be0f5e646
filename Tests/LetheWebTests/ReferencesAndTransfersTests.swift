import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

@Suite struct ReferencesAndTransfersTests {
    func count(_ harness: WebHarness, _ table: String) throws -> Int {
        try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
    }

    @Test func referenceCheckNeedsPermissionThatStillStands() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let pdf = try Fixtures.data("cv.pdf")
        try await harness.withClient { client in
            let applicant = Browser(client)
            let token = try await applicant.csrfToken(from: "/jobs/\(vacancy.id!)")
            var body = MultipartBody.application(token: token, cv: pdf)
            body.field("reference_2_name", "Nils Nopermission")
            body.field("reference_2_contact", "+45 11 22 33 44")
            let submitted = try await applicant.send("/jobs/\(vacancy.id!)/apply", method: .post, headers: [.contentType: body.contentType], body: body.encoded())
            let receipt = try #require(submitted.headers[.location]).components(separatedBy: "?")[0]

            let (applicationId, references) = try harness.database.read { db in
                (try Int64.fetchOne(db, sql: "SELECT id FROM application")!,
                 try Row.fetchAll(db, sql: "SELECT id, permission_given, legal_basis FROM reference ORDER BY position").map { ($0["id"] as Int64, $0["permission_given"] as Bool, $0["legal_basis"] as String) })
            }
            #expect(references.map(\.1) == [true, false])
            #expect(references.allSatisfy { $0.2 == "legitimate_interest" })
            let page = "/staff/applications/\(applicationId)"
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let html = String(buffer: try await pia.get(page).body)
            #expect(html.contains("No permission: do not contact"))
            #expect(!html.contains("references/\(references[1].0)/checks"))

            let check = ["contacted_on": "2026-01-15", "summary": "Reliable and careful."]
            let forced = try await pia.post(page + "/references/\(references[1].0)/checks", check, csrfFrom: page)
            #expect(forced.status == .conflict)
            #expect(String(buffer: forced.body).contains("has not given permission"))
            #expect(try count(harness, "reference_check") == 0)

            #expect(try await pia.post(page + "/references/\(references[0].0)/checks", check, csrfFrom: page).status == .seeOther)
            #expect(try count(harness, "reference_check") == 1)

            let withdrawn = try await applicant.post("\(receipt)/references/\(references[0].0)/withdraw", [:], csrfFrom: receipt)
            #expect(withdrawn.status == .seeOther)
            #expect(String(buffer: try await applicant.get(receipt).body).contains("you withdrew permission"))
            #expect(try await pia.post(page + "/references/\(references[0].0)/checks", check, csrfFrom: page).status == .conflict)
            #expect(try count(harness, "reference_check") == 1)
        }
        #expect(try harness.auditCount("reference.permission_withdrawn") == 1)
        #expect(try harness.auditCount("reference.checked") == 1)
    }

    @Test func transferAcknowledgementRecordsTheVersionDisplayedAndLaterVersionsDoNotRewriteIt() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(international: true)
        let hr = try await harness.makeStaff("hr@example.org", role: .hr)
        let pdf = try Fixtures.data("cv.pdf")
        @Sendable func displayedTransferNoticeId(_ html: String) throws -> Int64 {
            let range = try #require(html.range(of: #"name="transfer_notice_id" value="(\d+)""#, options: .regularExpression))
            return Int64(html[range].split(separator: "\"")[3])!
        }
        @Sendable func acknowledgedTransferNotices() throws -> [Int64] {
            try harness.database.read { db in
                try Int64.fetchAll(db, sql: "SELECT notice_id FROM notice_acknowledgement JOIN notice ON notice.id = notice_id WHERE kind = 'transfer' ORDER BY notice_acknowledgement.id")
            }
        }
        try await harness.withClient { client in
            let page = String(buffer: try await client.execute(uri: "/jobs/\(vacancy.id!)", method: .get).body)
            let shownFirst = try displayedTransferNoticeId(page)
            _ = try await harness.submit(to: vacancy, cv: pdf)
            #expect(try acknowledgedTransferNotices() == [shownFirst])
            let shownDetail = try harness.database.read { db in try String.fetchOne(db, sql: "SELECT shown_detail FROM notice_acknowledgement WHERE notice_id = ?", arguments: [shownFirst])! }
            #expect(shownDetail == "US: Partner Inc. (scc)")

            let second = try await harness.database.publishNotice(kind: .transfer, body: "A clearer transfer notice.", by: hr, at: Date())
            let newPage = String(buffer: try await client.execute(uri: "/jobs/\(vacancy.id!)", method: .get).body)
            #expect(try displayedTransferNoticeId(newPage) == second.id!)
            #expect(newPage.contains("A clearer transfer notice."))
            _ = try await harness.submit(to: vacancy, cv: pdf)
            #expect(try acknowledgedTransferNotices() == [shownFirst, second.id!])
            let firstNotice = try #require(try await harness.database.notice(id: shownFirst))
            #expect(firstNotice.version == 1)
            #expect(firstNotice.sha256 == Notice(kind: .transfer, version: 1, body: firstNotice.body, publishedAt: Date()).sha256)
        }
    }

    @Test func transferIsRecordedOnlyForInternationalVacanciesByThePanel() async throws {
        let harness = try await WebHarness()
        let national = try await harness.makeVacancy(title: "National")
        let international = try await harness.makeVacancy(international: true, title: "International")
        try await harness.makeStaff("pia@example.org", panels: [national, international])
        try await harness.makeStaff("out@example.org")
        let pdf = try Fixtures.data("cv.pdf")
        _ = try await harness.submit(to: national, cv: pdf)
        let nationalApp = try harness.onlyApplication().application
        let receipt = try await harness.submit(to: international, cv: pdf)
        let internationalApp = try harness.onlyApplication().application
        let destination = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM transfer_destination")! }
        try await harness.withClient { client in
            let transfer = ["destination_id": "\(destination)", "what": "CV", "shared_on": "2026-01-10"]
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let refused = try await pia.post("/staff/applications/\(nationalApp)/transfers", transfer, csrfFrom: "/staff")
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("not international"))

            let outsider = Browser(client)
            try await outsider.signIn("out@example.org", WebHarness.password)
            #expect(try await outsider.post("/staff/applications/\(internationalApp)/transfers", transfer, csrfFrom: "/staff").status == .notFound)
            #expect(try count(harness, "transfer_record") == 0)

            #expect(try await pia.post("/staff/applications/\(internationalApp)/transfers", transfer, csrfFrom: "/staff").status == .seeOther)
            #expect(try count(harness, "transfer_record") == 1)
            let mine = String(buffer: try await client.execute(uri: receipt, method: .get).body)
            #expect(mine.contains("shared on 2026-01-10 with Partner Inc."))
        }
    }

    @Test func hrPublishesNoticeVersionsAndReadsOldOnes() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let published = try await hr.post("/hr/notices", ["kind": "privacy", "body": "Version two of the privacy notice."], csrfFrom: "/hr/notices")
            #expect(published.status == .seeOther)
            let list = String(buffer: try await hr.get("/hr/notices").body)
            #expect(list.contains("Privacy notice"))
            let first = try #require(try await harness.database.allNotices().first { $0.kind == .privacy && $0.version == 1 })
            let old = String(buffer: try await hr.get("/hr/notices/\(first.id!)").body)
            #expect(old.contains("How long we keep it."))
            #expect(old.contains(first.sha256))
            let empty = try await hr.post("/hr/notices", ["kind": "privacy", "body": ""], csrfFrom: "/hr/notices")
            #expect(empty.status == .unprocessableContent)
        }
        #expect(try await harness.database.currentNotices()[.privacy]?.version == 2)
    }
}
