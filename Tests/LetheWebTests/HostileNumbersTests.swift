import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// Every number that arrives in a URL or a form is parsed into a bounded range before any
/// arithmetic: nothing a client sends can crash the server or answer 500.
@Suite struct HostileNumbersTests {
    static let hostileValues = [
        "9223372036854775807", "9223372036854775808", "99999999999999999999999999", "-1", "-9223372036854775808", "0",
        "abc", "", "1e9", "0x10", "NaN", "%00", "1%20OR%201=1", "%E2%80%AE1",
    ]

    @Test func aPagePastTheEndShowsTheLastPageAndHugePagesDoNotCrash() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        try harness.workspace.insertSyntheticApplications(vacancyId: vacancy.id!, count: 59, at: harness.options.clock.now)
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let list = "/staff/vacancies/\(vacancy.id!)"
            for page in ["6", "9223372036854775807", "2"] {
                let response = try await pia.get("\(list)?sort=name&page=\(page)")
                #expect(response.status == .ok, "page \(page)")
                #expect(String(buffer: response.body).contains("Applications 51–59 of 59"), "page \(page)")
            }
            for page in ["-5", "0", "abc", "1&page=6"] {
                #expect(String(buffer: try await pia.get("\(list)?sort=name&page=\(page)").body).contains("Applications 1–50 of 59"), "page \(page)")
            }
        }
    }

    @Test func everyRouteAnswersHostileQueryValuesWithoutA500AndTheServerStaysUp() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(international: true)
        try await harness.makeStaff("pia@example.org", role: .hr, panels: [vacancy])
        let receipt = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        let (application, document) = try harness.onlyApplication()
        let reference = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM reference")! }
        let paths = [
            "/", "/jobs", "/jobs/\(vacancy.id!)", "/healthz", "/login", "/login/reset", "/withdrawn",
            receipt, "\(receipt)/export", "\(receipt)/withdraw", "\(receipt)/documents/\(document)",
            "/staff", "/staff/password", "/staff/vacancies/\(vacancy.id!)", "/staff/applications/\(application)",
            "/staff/applications/\(application)/documents/\(document)",
            "/hr", "/hr/vacancies/new", "/hr/vacancies/\(vacancy.id!)", "/hr/notices", "/hr/notices/1", "/hr/retention",
            "/hr/applications/\(application)", "/hr/mail", "/hr/message-templates", "/me",
        ]
        let posts = [
            "/jobs/\(vacancy.id!)/apply", "\(receipt)/consent", "\(receipt)/consent/withdraw", "\(receipt)/references/\(reference)/withdraw",
            "/staff/applications/\(application)/status", "/staff/applications/\(application)/assessment",
            "/staff/applications/\(application)/references/\(reference)/checks", "/staff/applications/\(application)/transfers",
            "/staff/vacancies/\(vacancy.id!)/search", "/hr/retention/search", "/hr/applications/\(application)/consent",
            "/staff/applications/\(application)/messages", "\(receipt)/messages", "/hr/message-templates", "/hr/mail/1/retry",
        ]
        let idPaths = ["/jobs/%@", "/staff/vacancies/%@", "/staff/applications/%@", "/staff/applications/%@/documents/%@",
                       "/hr/vacancies/%@", "/hr/notices/%@", "/hr/applications/%@", "/me/%@"]
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            for value in Self.hostileValues {
                let query = ["page", "sort", "saved", "q", "lookup", "submitted", "id"].map { "\($0)=\(value)" }.joined(separator: "&") + "&page=\(value)&page=2"
                for path in paths {
                    let status = try await pia.get("\(path)?\(query)").status
                    #expect(status.code < 500, "GET \(path)?\(query) answered \(status.code)")
                }
                for path in idPaths {
                    let status = try await pia.get(path.replacingOccurrences(of: "%@", with: value.isEmpty ? "x" : value)).status
                    #expect(status.code < 500, "GET \(path) with \(value) answered \(status.code)")
                }
                let fields = ["page", "months", "competencies", "qualifications", "experience", "destination_id", "until", "contacted_on", "shared_on", "status"]
                    .reduce(into: [String: String]()) { $0[$1] = value.removingPercentEncoding ?? value }
                for path in posts {
                    let status = try await pia.post("\(path)?\(query)", fields, csrfFrom: path.hasPrefix("/me") ? receipt : "/staff/applications/\(application)").status
                    #expect(status.code < 500, "POST \(path) with \(value) answered \(status.code)")
                }
            }
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
