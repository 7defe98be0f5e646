import Foundation
import GRDB
import LetheCore
import LetheTestSupport
import Testing

/// Runs the real `lethe` executable, as an operator would.
@Suite struct AuditCommandTests {
    static var executable: URL {
        WebHarness.repositoryRoot.appendingPathComponent(".build/debug/lethe")
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        // Not Foundation's Process, which can crash this test process (see ChildProcess).
        let (outcome, _) = try ChildProcess.run(Self.executable.path, arguments)
        return (outcome.status, String(decoding: outcome.output, as: UTF8.self))
    }

    @Test func auditVerifyPassesAfterAMixOfActionsAndNamesTheFirstAlteredEvent() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the lethe executable first (swift build)")
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        try await harness.makeStaff("pia@example.org", panels: [vacancy])
        let base = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        let (applicationId, documentId) = try harness.onlyApplication()
        try await harness.withClient { client in
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            _ = try await pia.get("/staff/applications/\(applicationId)/documents/\(documentId)")
            _ = try await pia.post("/staff/applications/\(applicationId)/status", ["status": "in_review"], csrfFrom: "/staff")
            let applicant = Browser(client)
            _ = try await applicant.post("\(base)/consent", ["months": "12"], csrfFrom: base)
            _ = try await applicant.post("\(base)/consent/withdraw", [:], csrfFrom: base)
        }
        let intact = try run(["audit", "verify", "--database", harness.workspace.databasePath])
        #expect(intact.status == 0, "\(intact.output)")
        #expect(intact.output.contains("intact"))

        let victim = try harness.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM audit_event WHERE action = 'application.status_changed'")! }
        try harness.workspace.direct { db in
            try db.execute(sql: "UPDATE audit_event SET detail = 'from=received to=hired' WHERE id = ?", arguments: [victim])
        }
        let broken = try run(["audit", "verify", "--database", harness.workspace.databasePath])
        #expect(broken.status != 0)
        #expect(broken.output.contains("event \(victim)"))
    }

    @Test func purgeCommandReportsJSONAndHonoursDryRunAndAsOf() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the lethe executable first (swift build)")
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        _ = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf"))
        let common = ["--database", harness.workspace.databasePath, "--uploads", harness.workspace.uploadsPath]
        let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(200 * 86_400))
        let now = try run(["purge", "--json"] + common)
        #expect(now.output.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"documents":0,"purged":0}"#)
        let dry = try run(["purge", "--dry-run", "--json", "--as-of", later] + common)
        #expect(dry.output.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"documents":1,"purged":1}"#)
        #expect(try harness.database.counts().applications == 1)
        let real = try run(["purge", "--json", "--as-of", later] + common)
        #expect(real.status == 0)
        #expect(real.output.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"documents":1,"purged":1}"#)
        #expect(try harness.database.counts().applications == 0)
        #expect(try harness.workspace.uploadedFiles().isEmpty)
        let bad = try run(["purge", "--as-of", "yesterday"] + common)
        #expect(bad.status != 0)
        #expect(bad.output.contains("--as-of"))
    }
}
