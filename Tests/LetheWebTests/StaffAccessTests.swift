import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

@Suite struct StaffAccessTests {
    @Test func panelMemberOfOtherVacancyGets404AndTheDenialIsAudited() async throws {
        let harness = try await WebHarness()
        let a = try await harness.makeVacancy(title: "A")
        let b = try await harness.makeVacancy(title: "B")
        _ = try await harness.submit(to: b, cv: try Fixtures.data("cv.pdf"))
        let (applicationB, documentB) = try harness.onlyApplication()
        try await harness.makeStaff("anna@example.org", panels: [a])
        try await harness.withClient { client in
            let browser = Browser(client)
            #expect(try await browser.signIn("anna@example.org", WebHarness.password).status == .seeOther)
            #expect(try await browser.get("/staff/vacancies/\(a.id!)").status == .ok)
            let denialsBefore = try harness.auditCount("access.denied")
            let attempts = [
                "/staff/vacancies/\(b.id!)",
                "/staff/applications/\(applicationB)",
                "/staff/applications/\(applicationB)/documents/\(documentB)",
                "/staff/applications/999999",
                "/staff/applications/999999/documents/1",
                "/staff/vacancies/999999",
                "/staff/applications/not-a-number",
            ]
            for uri in attempts {
                let response = try await browser.get(uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(!String(buffer: response.body).contains("Ada Applicant"), "\(uri)")
                #expect(String(buffer: response.body).contains("Sign out Anna"), "\(uri): the error page keeps the navigation")
            }
            #expect(try harness.auditCount("access.denied") == denialsBefore + attempts.count)
            let status = try await browser.post("/staff/applications/\(applicationB)/status", ["status": "rejected"], csrfFrom: "/staff")
            #expect(status.status == .notFound)
        }
        let stored = try harness.database.read { db in try String.fetchOne(db, sql: "SELECT status FROM application")! }
        #expect(stored == "received")
    }

    @Test func memberRemovedFromThePanelIsRefusedOnTheNextRequestWithTheSameCookie() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (applicationId, _) = try harness.onlyApplication()
        let member = try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let hr = try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let browser = Browser(client)
            try await browser.signIn("pia@example.org", WebHarness.password)
            #expect(try await browser.get("/staff/applications/\(applicationId)").status == .ok)
            try await harness.database.removePanelMember(vacancyId: vacancy.id!, staffUserId: member.id!, by: hr, at: Date())
            #expect(try await browser.get("/staff/applications/\(applicationId)").status == .notFound)
        }
    }

    @Test func hrNotOnThePanelCannotReadOrDownloadButCanManageThePanel() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        _ = try await harness.submit(to: vacancy, cv: pdf)
        let (applicationId, documentId) = try harness.onlyApplication()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.makeStaff("new@example.org")
        try await harness.withClient { client in
            let browser = Browser(client)
            try await browser.signIn("hr@example.org", WebHarness.password)
            #expect(try await browser.get("/staff/applications/\(applicationId)/documents/\(documentId)").status == .notFound)
            #expect(try await browser.get("/staff/applications/\(applicationId)").status == .notFound)
            let added = try await browser.post("/hr/vacancies/\(vacancy.id!)/panel", ["email": "new@example.org"], csrfFrom: "/hr")
            #expect(added.status == .seeOther)
            let page = String(buffer: try await browser.get("/hr/vacancies/\(vacancy.id!)").body)
            #expect(page.contains("new@example.org"))
            #expect(!page.contains("Ada Applicant"))
        }
    }

    @Test func staffCannotOpenHRPages() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("sam@example.org", panels: [vacancy])
        try await harness.makeStaff("victim@example.org")
        try await harness.withClient { client in
            let browser = Browser(client)
            try await browser.signIn("sam@example.org", WebHarness.password)
            #expect(try await browser.get("/hr").status == .notFound)
            let attempt = try await browser.post("/hr/vacancies/\(vacancy.id!)/panel/remove", ["email": "sam@example.org"], csrfFrom: "/staff")
            #expect(attempt.status == .notFound)
            #expect(try await browser.get("/staff/vacancies/\(vacancy.id!)").status == .ok)
        }
    }

    @Test func aDocumentAskedForUnderAnotherApplicationIsNotFoundEvenOnBothPanels() async throws {
        let harness = try await WebHarness()
        let a = try await harness.makeVacancy(title: "A")
        let b = try await harness.makeVacancy(title: "B")
        _ = try await harness.submit(to: a, cv: try Fixtures.data("cv.pdf"))
        let (applicationA, documentA) = try harness.onlyApplication()
        _ = try await harness.submit(to: b, cv: try Fixtures.data("cv.docx"), cvName: "b.docx", email: "bo@example.com")
        let (applicationB, documentB) = try harness.onlyApplication()
        try await harness.makeStaff("pia@example.org", panels: [a, b])
        try await harness.withClient { client in
            let browser = Browser(client)
            try await browser.signIn("pia@example.org", WebHarness.password)
            #expect(try await browser.get("/staff/applications/\(applicationA)/documents/\(documentA)").status == .ok)
            #expect(try await browser.get("/staff/applications/\(applicationB)/documents/\(documentB)").status == .ok)
            let denialsBefore = try harness.auditCount("access.denied")
            for uri in ["/staff/applications/\(applicationA)/documents/\(documentB)", "/staff/applications/\(applicationB)/documents/\(documentA)/view"] {
                let response = try await browser.get(uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.contentDisposition] == nil, "\(uri)")
            }
            #expect(try harness.auditCount("access.denied") == denialsBefore + 2)
        }
        // The refusals name the document asked for, and only the two downloads that were allowed are recorded.
        let denied = try harness.database.read { db in
            try Int64.fetchAll(db, sql: "SELECT subject_id FROM audit_event WHERE action = 'access.denied' AND subject_type = 'document' ORDER BY id")
        }
        #expect(denied == [documentB, documentA])
        #expect(try harness.auditCount("document.downloaded") == 2)
    }

    @Test func downloadIsTheUploadedFileWithSafeHeaders() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let docx = try Fixtures.data("cv.docx")
        _ = try await harness.submit(to: vacancy, cv: docx, cvName: "Åsa CV; final.docx")
        let (applicationId, documentId) = try harness.onlyApplication()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.withClient { client in
            let browser = Browser(client)
            try await browser.signIn("pia@example.org", WebHarness.password)
            let response = try await browser.get("/staff/applications/\(applicationId)/documents/\(documentId)")
            #expect(response.status == .ok)
            #expect(Data(buffer: response.body) == docx)
            #expect(response.headers[.contentType] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            let disposition = try #require(response.headers[.contentDisposition])
            #expect(disposition.hasPrefix("attachment; filename=\""))
            #expect(disposition == "attachment; filename=\"_sa CV_ final.docx\"; filename*=UTF-8''%C3%85sa%20CV%3B%20final.docx")
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(response.headers[.cacheControl] == "no-store")
        }
        #expect(try harness.auditCount("document.downloaded") == 1)
    }

    @Test func aPDFIsShownInASandboxedFrameOfTheApplicationPageAndNothingElseIs() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let other = try await harness.makeVacancy(title: "Other")
        let pdf = try Fixtures.data("cv.pdf")
        _ = try await harness.submit(to: vacancy, cv: pdf)
        let (applicationId, documentId) = try harness.onlyApplication()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.docx"), cvName: "cv.docx", email: "docx@example.org")
        let docxId = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM document WHERE media_type LIKE '%wordprocessingml%'")! }
        let docxApplication = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT application_id FROM document WHERE id = ?", arguments: [docxId])! }
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.makeStaff("ole@example.org", panels: [other])
        let view = "/staff/applications/\(applicationId)/documents/\(documentId)/view"
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let page = String(buffer: try await pia.get("/staff/applications/\(applicationId)").body)
            #expect(page.contains("<iframe class=\"document-view\" src=\"\(view)\""))
            let pageHeaders = try await pia.get("/staff/applications/\(applicationId)").headers
            #expect(pageHeaders[.contentSecurityPolicy]?.contains("frame-src 'self'") == true)
            #expect(pageHeaders[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)

            let response = try await pia.get(view)
            #expect(response.status == .ok)
            #expect(Data(buffer: response.body) == pdf)
            #expect(response.headers[.contentType] == "application/pdf")
            #expect(response.headers[.contentDisposition]?.hasPrefix("inline; filename=\"cv.pdf\"") == true)
            #expect(response.headers[.contentSecurityPolicy] == "sandbox; default-src 'none'; frame-ancestors 'self'")
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "SAMEORIGIN")
            #expect(response.headers[.cacheControl] == "no-store")

            // The download is unchanged: an attachment that no page may frame.
            let download = try await pia.get("/staff/applications/\(applicationId)/documents/\(documentId)")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")

            // Another type is never rendered, and its page has no frame.
            #expect(try await pia.get("/staff/applications/\(docxApplication)/documents/\(docxId)/view").status == .notFound)
            #expect(!String(buffer: try await pia.get("/staff/applications/\(docxApplication)").body).contains("<iframe"))

            let ole = Browser(client)
            try await ole.signIn("ole@example.org", WebHarness.password)
            let refused = try await ole.get(view)
            #expect(refused.status == .notFound)
            #expect(Data(buffer: refused.body) != pdf)
        }
        #expect(try harness.auditCount("document.viewed") == 1)
    }

    @Test func panelMemberChangesStatusAndWritesOnlyTheirOwnAssessment() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let (applicationId, _) = try harness.onlyApplication()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try await harness.makeStaff("ole@example.org", panels: [vacancy])
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let page = "/staff/applications/\(applicationId)"
            #expect(try await pia.post(page + "/status", ["status": "shortlisted"], csrfFrom: page).status == .seeOther)
            #expect(try await pia.post(page + "/assessment", ["competencies": "4", "qualifications": "5", "experience": "3", "notes": "Strong <b>archive</b> skills"], csrfFrom: page).status == .seeOther)
            #expect(try await pia.post(page + "/assessment", ["competencies": "9", "qualifications": "5", "experience": "3"], csrfFrom: page).status == .unprocessableContent)

            let ole = Browser(client)
            try await ole.signIn("ole@example.org", WebHarness.password)
            #expect(try await ole.post(page + "/assessment", ["competencies": "2", "qualifications": "2", "experience": "2", "notes": "Ole's view"], csrfFrom: page).status == .seeOther)
            let html = String(buffer: try await ole.get(page).body)
            #expect(html.contains("Shortlisted"))
            #expect(html.contains("Strong &lt;b&gt;archive&lt;/b&gt; skills"))
            #expect(html.contains("Ole&#39;s view") || html.contains("Ole&#x27;s view") || html.contains("Ole's view"))
        }
        let rows = try harness.database.read { db in
            try Row.fetchAll(db, sql: "SELECT staff_user.email, competencies FROM assessment JOIN staff_user ON staff_user.id = staff_user_id ORDER BY email")
                .map { ($0["email"] as String, $0["competencies"] as Int) }
        }
        #expect(rows.map(\.0) == ["ole@example.org", "pia@example.org"])
        #expect(rows.map(\.1) == [2, 4])
    }

    @Test func applicationsListSearchesSortsAndPages() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try harness.workspace.insertSyntheticApplications(vacancyId: vacancy.id!, count: 120, at: harness.options.clock.now)
        try await harness.withClient { client in
            let browser = Browser(client)
            try await browser.signIn("pia@example.org", WebHarness.password)
            let first = String(buffer: try await browser.get("/staff/vacancies/\(vacancy.id!)?sort=name").body)
            #expect(first.contains("Applications 1–50 of 120"))
            #expect(first.contains("Applicant 000"))
            #expect(!first.contains("Applicant 119"))
            let third = String(buffer: try await browser.get("/staff/vacancies/\(vacancy.id!)?sort=name&page=3").body)
            #expect(third.contains("Applications 101–120 of 120"))
            #expect(third.contains("Applicant 119"))
            let list = "/staff/vacancies/\(vacancy.id!)"
            let searched = try await browser.post(list + "/search", ["q": "applicant 07"], csrfFrom: list)
            #expect(searched.status == .seeOther)
            let results = try #require(searched.headers[.location])
            #expect(results.hasPrefix(list + "?q="))
            #expect(!results.lowercased().contains("applicant"), "the search text is in the URL: \(results)")
            let search = String(buffer: try await browser.get(results).body)
            #expect(search.contains("Applications 1–10 of 10 matching"))
            #expect(search.contains(#"value="applicant 07""#))
            let wildcard = String(buffer: try await browser.get(try #require(try await browser.post(list + "/search", ["q": "%"], csrfFrom: list).headers[.location])).body)
            #expect(wildcard.contains("No applications match"))
            // A sealed search cannot be forged or altered: the list shows everything instead.
            let forged = String(buffer: try await browser.get(list + "?q=YXBwbGljYW50IDA3").body)
            #expect(forged.contains("Applications 1–50 of 120"))
        }
    }
}
