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
            let session = try await applicant.formSession(vacancy: vacancy.id!)
            var body = MultipartBody.application(session, cv: pdf)
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

    func acknowledgedNotices(_ harness: WebHarness, kind: Notice.Kind) throws -> [Int64] {
        try harness.database.read { db in
            try Int64.fetchAll(db, sql: "SELECT notice_id FROM notice_acknowledgement JOIN notice ON notice.id = notice_id WHERE kind = ? ORDER BY notice_acknowledgement.id", arguments: [kind.rawValue])
        }
    }

    @Test func theVersionRecordedIsTheOneDisplayedAndAFormOlderThanTheGraceIsSentBack() async throws {
        let clock = TestClock()
        let harness = try await WebHarness { $0.clock = clock.wallClock }
        let vacancy = try await harness.makeVacancy(international: true)
        let hr = try await harness.makeStaff("hr@example.org", role: .hr)
        let pdf = try Fixtures.data("cv.pdf")
        let first = try #require(try await harness.database.currentNotices()[.transfer])
        try await harness.withClient { client in
            let openedBefore = try await FormSession.open(vacancy: vacancy.id!, with: client)
            clock.advance(60)
            let second = try await harness.database.publishNotice(kind: .transfer, english: "A clearer transfer notice.", danish: "En klarere oplysning om overførsel.", by: hr, at: clock.now)

            // A form opened just before HR published is still accepted, and records what it showed.
            clock.advance(10 * 60)
            let withinGrace = try await client.post("/jobs/\(vacancy.id!)/apply", .application(openedBefore, cv: pdf, international: true), cookie: openedBefore.cookie)
            #expect(withinGrace.status == .seeOther)
            #expect(try acknowledgedNotices(harness, kind: .transfer) == [first.id!])
            let receipt = String(buffer: try await client.execute(uri: try #require(withinGrace.headers[.location]), method: .get).body)
            #expect(receipt.contains("Version 2 has been published since"))

            // Past the grace, the same old form is sent back with the notice as it is now.
            clock.advance(Notice.supersededGrace)
            let before = try harness.workspace.snapshot()
            let tooOld = try await client.post("/jobs/\(vacancy.id!)/apply", .application(openedBefore, cv: pdf, international: true, email: "bo@example.com"), cookie: openedBefore.cookie)
            #expect(tooOld.status == .conflict)
            let page = String(buffer: tooOld.body)
            #expect(page.contains("changed while you were filling in the form"))
            #expect(page.contains("A clearer transfer notice."))
            #expect(page.contains(#"value="Ada Applicant""#))
            #expect(try harness.workspace.snapshot().holdsTheSameApplications(as: before))

            let fresh = try await FormSession.open(vacancy: vacancy.id!, with: client)
            #expect(try await client.post("/jobs/\(vacancy.id!)/apply", .application(fresh, cv: pdf, international: true, email: "bo@example.com"), cookie: fresh.cookie).status == .seeOther)
            #expect(try acknowledgedNotices(harness, kind: .transfer) == [first.id!, second.id!])
        }
        let stored = try #require(try await harness.database.notice(id: first.id!))
        #expect(stored.version == 1)
        #expect(stored.sha256 == first.sha256)
    }

    @Test func aNoticeVersionNamedByTheClientIsNeverRecorded() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(international: true)
        let hr = try await harness.makeStaff("hr@example.org", role: .hr)
        let oldPrivacy = try #require(try await harness.database.currentNotices()[.privacy])
        _ = try await harness.database.publishNotice(kind: .privacy, english: "The privacy notice, version two.", danish: "Oplysning om databehandling, version to.", by: hr, at: Date().addingTimeInterval(-3 * 3600))
        let pdf = try Fixtures.data("cv.pdf")
        try await harness.withClient { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let before = try harness.workspace.snapshot()
            let current = try await harness.database.currentNotices()
            let signed = session.terms.split(separator: ".").map(String.init)
            let payloadData = try #require(Data(base64URLEncoded: signed[0]))
            let payload = try #require(String(data: payloadData, encoding: .utf8))
            #expect(payload.contains("privacy=\(current[.privacy]!.id!)"))
            let swapped = payload.replacingOccurrences(of: "privacy=\(current[.privacy]!.id!)", with: "privacy=\(oldPrivacy.id!)")
            for forged in [
                // No terms: the old notice id fields of the first build are ignored.
                "",
                // Terms written by the client, unsigned.
                "privacy=\(oldPrivacy.id!);reference=\(current[.reference]!.id!);transfer=\(current[.transfer]!.id!);vacancy=\(vacancy.id!);international=1;partners=1",
                // The real terms with the privacy version swapped: the signature no longer matches.
                Data(swapped.utf8).base64URLEncoded + "." + signed[1],
            ] {
                var body = MultipartBody.application(session, cv: pdf, international: true)
                body.set("terms", forged)
                body.field("privacy_notice_id", "\(oldPrivacy.id!)")
                let response = try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie)
                #expect(response.status == .conflict)
                #expect(try harness.workspace.snapshot().holdsTheSameApplications(as: before))
            }
            var body = MultipartBody.application(session, cv: pdf, international: true)
            body.field("privacy_notice_id", "\(oldPrivacy.id!)")
            #expect(try await client.post("/jobs/\(vacancy.id!)/apply", body, cookie: session.cookie).status == .seeOther)
        }
        let currentPrivacy = try #require(try await harness.database.currentNotices()[.privacy]?.id)
        #expect(try acknowledgedNotices(harness, kind: .privacy) == [currentPrivacy])
    }

    @Test func termsThatChangeWhileTheFormIsOpenStoreNothing() async throws {
        let harness = try await WebHarness()
        let domestic = try await harness.makeVacancy(title: "Domestic")
        let international = try await harness.makeVacancy(international: true, title: "International")
        let hr = try await harness.makeStaff("hr@example.org", role: .hr)
        let pdf = try Fixtures.data("cv.pdf")
        try await harness.withClient { client in
            // HR adds a partner to a domestic vacancy while an applicant fills in its form.
            let domesticForm = try await FormSession.open(vacancy: domestic.id!, with: client)
            try await harness.database.addDestination(vacancyId: domestic.id!, country: "CA", recipient: "Maple Partners", safeguard: .adequacy, by: hr, at: Date())
            let before = try harness.workspace.snapshot()
            var body = MultipartBody.application(domesticForm, cv: pdf)
            body.field("transfer_ack", "yes")
            let refused = try await client.post("/jobs/\(domestic.id!)/apply", body, cookie: domesticForm.cookie)
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("Maple Partners"))
            #expect(try harness.workspace.snapshot().holdsTheSameApplications(as: before))

            // A second partner is added to an international vacancy while its form is open.
            let internationalForm = try await FormSession.open(vacancy: international.id!, with: client)
            try await harness.database.addDestination(vacancyId: international.id!, country: "JP", recipient: "Tokyo Partners", safeguard: .adequacy, by: hr, at: Date())
            let beforeSecond = try harness.workspace.snapshot()
            let changed = try await client.post("/jobs/\(international.id!)/apply", .application(internationalForm, cv: pdf, international: true), cookie: internationalForm.cookie)
            #expect(changed.status == .conflict)
            #expect(try harness.workspace.snapshot().holdsTheSameApplications(as: beforeSecond))
        }
    }

    @Test func aTransferGoesOnlyToAPartnerTheApplicantWasToldAbout() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(international: true)
        let hr = try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let receipt = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let application = try harness.onlyApplication().application
        let told = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM transfer_destination")! }
        try await harness.database.addDestination(vacancyId: vacancy.id!, country: "JP", recipient: "Tokyo Partners", safeguard: .adequacy, by: hr, at: Date())
        let later = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM transfer_destination")! }
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let page = "/staff/applications/\(application)"
            let form = String(buffer: try await pia.get(page).body)
            #expect(form.contains("Partner Inc."))
            #expect(!form.contains("Tokyo Partners"), "the panel is offered a partner the applicant was never told about")

            let refused = try await pia.post(page + "/transfers", ["destination_id": "\(later)", "what": "CV", "shared_on": "2026-01-10"], csrfFrom: page)
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("was not told about this partner"))
            #expect(try count(harness, "transfer_record") == 0)
            #expect(!String(buffer: try await client.execute(uri: receipt, method: .get).body).contains("Tokyo Partners"))

            #expect(try await pia.post(page + "/transfers", ["destination_id": "\(told)", "what": "CV", "shared_on": "2026-01-10"], csrfFrom: page).status == .seeOther)
            #expect(try count(harness, "transfer_record") == 1)

            // HR takes the partner off the vacancy: no further transfer to it, the record stays.
            let hrBrowser = Browser(client)
            try await hrBrowser.signIn("hr@example.org", WebHarness.password)
            #expect(try await hrBrowser.post("/hr/vacancies/\(vacancy.id!)/destinations/\(told)/remove", [:], csrfFrom: "/hr/vacancies/\(vacancy.id!)").status == .seeOther)
            #expect(try await pia.post(page + "/transfers", ["destination_id": "\(told)", "what": "CV", "shared_on": "2026-01-11"], csrfFrom: page).status == .conflict)
            #expect(String(buffer: try await client.execute(uri: receipt, method: .get).body).contains("Partner Inc."))
        }
    }

    @Test func removingAnotherVacancysPartnerThroughThisVacancyAnswers404() async throws {
        let harness = try await WebHarness()
        let mine = try await harness.makeVacancy(international: true, title: "Mine")
        let other = try await harness.makeVacancy(international: true, title: "Other")
        try await harness.makeStaff("hr@example.org", role: .hr)
        let othersPartner = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM transfer_destination WHERE vacancy_id = ?", arguments: [other.id!])! }
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let response = try await hr.post("/hr/vacancies/\(mine.id!)/destinations/\(othersPartner)/remove", [:], csrfFrom: "/hr/vacancies/\(mine.id!)")
            #expect(response.status == .notFound)
        }
        #expect(try await harness.database.vacancy(id: other.id!)?.destinations.count == 1)
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
            #expect(mine.contains("shared on 10 January 2026 with Partner Inc."))
        }
    }

    @Test func hrPublishesNoticeVersionsInBothLanguagesAndReadsOldOnes() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let oneLanguage = try await hr.post("/hr/notices", ["kind": "privacy", "body_da": "", "body_en": "Version two of the privacy notice."], csrfFrom: "/hr/notices")
            #expect(oneLanguage.status == .unprocessableContent)
            #expect(String(buffer: oneLanguage.body).contains("Write the Danish text"))
            // At the top, linking to the Danish field; and beside that field.
            #expect(String(buffer: oneLanguage.body).contains(#"<h2>The new version was not shown. Please check:</h2>"#))
            #expect(String(buffer: oneLanguage.body).contains(##"<li><a href="#body_da">Write the Danish text"##))
            #expect(String(buffer: oneLanguage.body).contains(#"<div class="field has-error">\#n    <label for="body_da">"#))
            #expect(String(buffer: oneLanguage.body).contains(">Version two of the privacy notice.</textarea>"), "what was typed is kept")
            #expect(try await harness.database.currentNotices()[.privacy]?.version == 1)
            // First a preview with the changes in each language; nothing is published yet.
            let preview = try await hr.post("/hr/notices", ["kind": "privacy", "body_da": "Version to af oplysningen.", "body_en": "Version two of the privacy notice."], csrfFrom: "/hr/notices")
            #expect(preview.status == .ok)
            let previewPage = String(buffer: preview.body)
            #expect(previewPage.contains("Preview: Privacy notice, version 2"))
            #expect(previewPage.contains(#"<li class="added"><span class="mark">Added:</span> <ins>Version two of the privacy notice.</ins></li>"#))
            #expect(previewPage.contains(#"<li class="removed"><span class="mark">Removed:</span> <del>How long we keep it."#))
            #expect(try await harness.database.currentNotices()[.privacy]?.version == 1)
            // Publishing the text in force again is refused.
            let current = try #require(try await harness.database.currentNotices()[.privacy])
            let same = try await hr.post("/hr/notices", ["kind": "privacy", "body_da": current.bodyDa ?? "", "body_en": current.body], csrfFrom: "/hr/notices")
            #expect(same.status == .unprocessableContent)
            #expect(String(buffer: same.body).contains("there is nothing to publish"))
            #expect(String(buffer: same.body).contains(##"<a href="#body_da">"##))
            // The form can start from the text in force.
            #expect(String(buffer: try await hr.get("/hr/notices?kind=privacy").body).contains("How long we keep it."))
            let published = try await hr.post("/hr/notices", ["kind": "privacy", "body_da": "Version to af oplysningen.", "body_en": "Version two of the privacy notice.", "confirm": "yes"], csrfFrom: "/hr/notices")
            #expect(published.status == .seeOther)
            let shown = String(buffer: try await hr.get(try #require(published.headers[.location])).body)
            #expect(shown.contains("Version to af oplysningen.") && shown.contains("Version two of the privacy notice."))
            let list = String(buffer: try await hr.get("/hr/notices").body)
            #expect(list.contains("Privacy notice"))
            let first = try #require(try await harness.database.allNotices().first { $0.kind == .privacy && $0.version == 1 })
            let old = String(buffer: try await hr.get("/hr/notices/\(first.id!)").body)
            #expect(old.contains("How long we keep it."))
            #expect(old.contains("Hvor længe vi gemmer den."))
            #expect(old.contains(first.sha256))
            #expect(old.contains(try #require(first.sha256Da)))
            let empty = try await hr.post("/hr/notices", ["kind": "privacy", "body_da": "", "body_en": ""], csrfFrom: "/hr/notices")
            #expect(empty.status == .unprocessableContent)
        }
        #expect(try await harness.database.currentNotices()[.privacy]?.version == 2)
    }
}
