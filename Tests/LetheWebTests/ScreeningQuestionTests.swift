import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// HR's screening questions: every applicant answers them, the panel reads the answers beside the
/// CV, the applicant sees their own, and the questions are fixed once anyone has applied.
@Suite struct ScreeningQuestionTests {
    @Test func applicantsAnswerTheQuestionsAndThePanelReadsTheAnswers() async throws {
        let harness = try await WebHarness()
        try await harness.makeStaff("hr@example.org", role: .hr)
        try await harness.withClient { client in
            let hr = Browser(client)
            try await hr.signIn("hr@example.org", WebHarness.password)
            let fields = [
                "title": "Registrar", "description": "Keep the registry.", "location": "Odense", "closes_on": "2099-01-31",
                "question_1_text": "Do you have a driving licence?", "question_1_kind": "yes_no",
                "question_2_text": "When could you start?", "question_2_kind": "text",
            ]
            let noKind = try await hr.post("/hr/vacancies", ["title": "X", "description": "d", "location": "l", "closes_on": "2099-01-31", "question_1_text": "Why?"], csrfFrom: "/hr/vacancies/new")
            #expect(noKind.status == .unprocessableContent)
            #expect(String(buffer: noKind.body).contains("Choose whether the question takes a short text or yes or no."))
            let created = try await hr.post("/hr/vacancies", fields, csrfFrom: "/hr/vacancies/new")
            let page = String(try #require(created.headers[.location]).prefix { $0 != "?" })
            let pia = try await harness.makeStaff("pia@example.org")
            #expect(try await hr.post(page + "/panel", ["email": pia.email], csrfFrom: page).status == .seeOther)
            #expect(try await hr.post(page + "/publish", [:], csrfFrom: page).status == .seeOther)
            let vacancyId = try #require(Int64(page.split(separator: "/").last!))
            let questions = try await harness.database.screeningQuestions(vacancyId: vacancyId)
            #expect(questions.map(\.text) == ["Do you have a driving licence?", "When could you start?"])

            // Unanswered: the form again with the message at each question.
            let session = try await FormSession.open(vacancy: vacancyId, with: client)
            let unanswered = try await client.post("/jobs/\(vacancyId)/apply", .application(session, cv: try Fixtures.data("cv.pdf")), cookie: session.cookie)
            #expect(unanswered.status == .unprocessableContent)
            let form = String(buffer: unanswered.body)
            #expect(form.contains("Answer question 1.") && form.contains("Answer question 2."))
            #expect(form.contains("<legend>Do you have a driving licence?</legend>"))

            var body = MultipartBody.application(session, cv: try Fixtures.data("cv.pdf"))
            body.field(questions[0].fieldName, "yes")
            body.field(questions[1].fieldName, "In March")
            let sent = try await client.post("/jobs/\(vacancyId)/apply", body, cookie: session.cookie)
            #expect(sent.status == .seeOther)
            let location = try #require(sent.headers[.location])
            let receipt = String(buffer: try await client.execute(uri: location, method: .get).body)
            let export = String(buffer: try await client.execute(uri: String(location.prefix { $0 != "?" }) + "/export", method: .get).body)
            #expect(export.contains(#""answer" : "In March""#) && export.contains(#""question" : "When could you start?""#))
            #expect(receipt.contains("<dt>Do you have a driving licence?</dt><dd>Yes</dd><dt>When could you start?</dt><dd>In March</dd>"))

            let (applicationId, _) = try harness.onlyApplication()
            let panel = Browser(client)
            try await panel.signIn("pia@example.org", WebHarness.password)
            let seen = String(buffer: try await panel.get("/staff/applications/\(applicationId)").body)
            #expect(seen.contains("<dt>Do you have a driving licence?</dt><dd>Yes</dd>"))

            // Once answered, the questions are fixed; the rest of the vacancy can still change.
            var edited = fields
            edited["question_2_text"] = "When could you start, at the earliest?"
            let refused = try await hr.post(page, edited, csrfFrom: page)
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("Applicants have already answered these questions"))
            edited["question_2_text"] = fields["question_2_text"]
            edited["title"] = "Senior Registrar"
            #expect(try await hr.post(page, edited, csrfFrom: page).status == .seeOther)
        }
        #expect(try harness.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM screening_answer")! } == 2)
    }
}
