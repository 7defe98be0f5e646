import Foundation
import GRDB
import Testing
@testable import LetheCore
import LetheTestSupport

@Suite struct AuditLogTests {
    @Test func eventsWrittenAtOnceAreAllStoredInOneIntactChainEachBeforeItsCallerGoesOn() async throws {
        let workspace = try TestWorkspace()
        let database = workspace.database
        let before = try database.read { db in try AuditEvent.fetchCount(db) }
        let stored = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    try await database.audit("application.viewed", actor: .staff(7), subjectType: "application", subjectId: Int64(i), detail: "n=\(i)", at: Date())
                    // Returned: the event is committed, whoever else was writing at the time.
                    return try database.read { db in
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE detail = ?", arguments: ["n=\(i)"]) == 1
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(stored.count == 200 && stored.allSatisfy { $0 })
        #expect(try database.read { db in try AuditLog.verify(db) } == .intact(events: before + 200))
    }

    @Test func chainVerifiesAndNamesTheFirstAlteredEvent() async throws {
        let workspace = try TestWorkspace()
        let now = Date()
        try await workspace.database.publishDefaultNotices(at: now, controller: .init(name: "Test A/S", contact: "dpo@test.example"), policy: RetentionPolicy())
        for i in 0..<5 {
            try await workspace.database.writer.write { db in
                try AuditLog.append(db, at: now.addingTimeInterval(Double(i)), actor: .staff(7), action: "test.action", subjectType: "application", subjectId: Int64(i))
            }
        }
        let intact = try workspace.database.read { db in try AuditLog.verify(db) }
        #expect(intact == .intact(events: 9))

        let victim = try workspace.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM audit_event WHERE subject_id = 2 AND action = 'test.action'")! }
        try await workspace.database.writer.write { db in
            try db.execute(sql: "UPDATE audit_event SET subject_id = 99 WHERE id = ?", arguments: [victim])
        }
        let broken = try workspace.database.read { db in try AuditLog.verify(db) }
        guard case .broken(let id, _) = broken else {
            Issue.record("an altered event was not detected")
            return
        }
        #expect(id == victim)
    }
}
