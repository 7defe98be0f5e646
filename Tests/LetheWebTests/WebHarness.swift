import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

/// A Lethe application on a fresh workspace, driven through its router or a live socket.
struct WebHarness {
    let workspace: TestWorkspace
    let options: AppOptions
    let services: AppServices

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init(configure: (inout AppOptions) -> Void = { _ in }) async throws {
        workspace = try TestWorkspace()
        var options = AppOptions()
        options.databasePath = workspace.databasePath
        options.uploadsPath = workspace.uploadsPath
        options.templatesPath = Self.repositoryRoot.appendingPathComponent("templates").path
        options.publicPath = Self.repositoryRoot.appendingPathComponent("public").path
        options.port = 0
        options.logLevel = .warning
        // The tests read English; the Danish pages have their own tests.
        options.defaultLanguage = .en
        // Tests purge explicitly; the scheduler has its own test.
        options.purgeIntervalSeconds = 0
        // Tests deliver mail explicitly too (`services.delivery?.runOnce`).
        options.mailPollSeconds = 0
        configure(&options)
        self.options = options
        services = try await AppServices(options)
    }

    var database: AppDatabase { services.database }

    /// Runs `test` against the router in process.
    func withClient(_ framework: TestingSetup = .router, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try await buildApplication(options, services: services)
        try await app.test(framework, test)
    }

    /// An open vacancy closing in 30 days.
    func makeVacancy(international: Bool = false, title: String = "Archivist", closesInDays: Int = 30, status: Vacancy.Status = .open) async throws -> Vacancy {
        let now = options.clock.now
        let closes = DayFormat.string(from: now.addingTimeInterval(Double(closesInDays) * 86_400))
        let destinations = international ? [TransferDestination(vacancyId: 0, country: "US", recipient: "Partner Inc.", safeguard: .scc)] : []
        return try await database.createVacancy(
            Vacancy(title: title, description: "A job.", location: "Copenhagen", closesOn: closes, international: international, status: status, createdAt: now),
            destinations: destinations, actor: .system
        )
    }
}

/// The CSRF cookie, form token and signed terms a browser gets with a vacancy page.
struct FormSession {
    let cookie: String
    let token: String
    /// The `terms` field of the application form: what the page showed, signed.
    let terms: String

    /// Opens the vacancy page like a browser and keeps its CSRF cookie, token and terms.
    static func open(vacancy id: Int64, with client: some TestClientProtocol) async throws -> FormSession {
        let response = try await client.execute(uri: "/jobs/\(id)", method: .get)
        let setCookie = response.headers[.setCookie] ?? ""
        let cookie = String(setCookie.split(separator: ";")[0])
        let html = String(buffer: response.body)
        return FormSession(cookie: cookie, token: try hiddenField("csrf_token", in: html), terms: try hiddenField("terms", in: html))
    }

    /// The value of a hidden input of a page.
    static func hiddenField(_ name: String, in html: String) throws -> String {
        guard let range = html.range(of: #"name="\#(name)" value="([^"]+)""#, options: .regularExpression) else {
            throw HarnessError.noField(name)
        }
        return String(html[range].split(separator: "\"")[3])
    }

    enum HarnessError: Error { case noField(String) }
}

/// Builds a multipart/form-data body the way a browser does.
struct MultipartBody {
    var boundary = "----LetheTestBoundary7MA4YWxkTrZu0gW"
    var parts: [(name: String, fileName: String?, contentType: String?, data: Data)] = []

    mutating func field(_ name: String, _ value: String) {
        parts.append((name, nil, nil, Data(value.utf8)))
    }

    mutating func file(_ name: String, fileName: String, contentType: String = "application/octet-stream", data: Data) {
        parts.append((name, fileName, contentType, data))
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        for part in parts {
            buffer.writeString("--\(boundary)\r\n")
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let fileName = part.fileName { disposition += "; filename=\"\(fileName)\"" }
            buffer.writeString(disposition + "\r\n")
            if let type = part.contentType { buffer.writeString("Content-Type: \(type)\r\n") }
            buffer.writeString("\r\n")
            buffer.writeBytes(part.data)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return buffer
    }

    /// A complete, valid application from the form of `session`, with the given CV.
    static func application(_ session: FormSession, cv: Data, cvName: String = "cv.pdf", international: Bool = false, email: String = "ada@example.com") -> MultipartBody {
        var body = MultipartBody()
        body.field("csrf_token", session.token)
        body.field("terms", session.terms)
        body.field("name", "Ada Applicant")
        body.field("email", email)
        body.field("phone", "+45 12 34 56 78")
        body.field("cover_letter", "I would like this job.")
        body.file("cv", fileName: cvName, data: cv)
        body.field("privacy_ack", "yes")
        if international { body.field("transfer_ack", "yes") }
        body.field("reference_1_name", "Rita Referee")
        body.field("reference_1_contact", "rita@example.com")
        body.field("reference_1_relationship", "Former manager")
        body.field("reference_1_permission", "yes")
        return body
    }

    /// Removes every part with this name.
    mutating func remove(_ name: String) {
        parts.removeAll { $0.name == name }
    }

    /// Replaces the value of a text field.
    mutating func set(_ name: String, _ value: String) {
        remove(name)
        field(name, value)
    }
}

extension TestClientProtocol {
    /// Posts a multipart body with the session's cookie.
    func post(_ uri: String, _ body: MultipartBody, cookie: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: body.contentType]
        if let cookie { headers[.cookie] = cookie }
        return try await execute(uri: uri, method: .post, headers: headers, body: body.encoded())
    }
}

extension WebHarness {
    static let password = "correct horse battery staple"

    /// A staff account, seated on the given vacancies' panels.
    @discardableResult
    func makeStaff(_ email: String, role: StaffUser.Role = .staff, panels: [Vacancy] = []) async throws -> StaffUser {
        let user = try await database.createStaffUser(email: email, name: email.split(separator: "@")[0].capitalized, role: role, password: Self.password, at: options.clock.now, actor: .system)
        for vacancy in panels {
            try await database.addPanelMember(vacancyId: vacancy.id!, staffUserId: user.id!, at: options.clock.now, actor: .system)
        }
        return user
    }

    func auditCount(_ action: String) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = ?", arguments: [action])! }
    }

    /// The ids of the one application and its document.
    func onlyApplication() throws -> (application: Int64, document: Int64) {
        try database.read { db in
            (try Int64.fetchOne(db, sql: "SELECT id FROM application ORDER BY id DESC")!, try Int64.fetchOne(db, sql: "SELECT id FROM document ORDER BY id DESC")!)
        }
    }
}

extension WebHarness {
    /// Applies like a browser and returns the receipt location.
    /// Applies like a browser; each application to the same vacancy needs its own `email`.
    func submit(to vacancy: Vacancy, cv: Data, cvName: String = "cv.pdf", email: String = "ada@example.com") async throws -> String {
        try await withClientReturning { client in
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let response = try await client.post(
                "/jobs/\(vacancy.id!)/apply",
                .application(session, cv: cv, cvName: cvName, international: vacancy.international, email: email),
                cookie: session.cookie
            )
            guard response.status == .seeOther, let location = response.headers[.location] else {
                throw SubmitError.refused(response.status.code, String(buffer: response.body))
            }
            return location
        }
    }

    /// Runs `body` against the router and returns what it returns.
    func withClientReturning<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let box = ResultBox<T>()
        try await withClient { client in box.value = try await body(client) }
        return try #require(box.value)
    }

    enum SubmitError: Error { case refused(Int, String) }
}

final class ResultBox<T>: @unchecked Sendable { var value: T? }
