import Foundation
import GRDB
import Testing
@testable import LetheCore
import LetheTestSupport

/// The records that read and write their rows column by column (see `SnakeCaseRecord`) must
/// keep every field: a column left out would be stored empty, or read back as its default.
@Suite struct RecordColumnsTests {
    @Test func recordsReadByNameStoreEveryPropertyInTheirTablesColumnsAndReadBackWhatWasStored() throws {
        let workspace = try TestWorkspace()
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let later = at.addingTimeInterval(86_400)
        try workspace.direct { db in
            var user = StaffUser(email: "r@test.example", name: "Rita", role: .hr, passwordHash: "h", disabledAt: later, createdAt: at, language: "da")
            try roundTrip(&user, db)
            var session = StaffSession(idHash: Data([1, 2, 3]), staffUserId: user.id!, createdAt: at, lastSeenAt: later)
            try roundTrip(&session, db)
            var vacancy = Vacancy(
                title: "T", description: "D", location: "L", closesOn: "2026-12-31", international: true, status: .closed,
                createdAt: at, updatedAt: later
            ).with(employmentType: .fixedTerm, hours: "37", salary: "S", contact: "C")
            vacancy.archivedAt = later
            try roundTrip(&vacancy, db)
            var application = JobApplication(
                vacancyId: vacancy.id!, tokenHash: Data([4, 5]), name: "N", email: "n@test.example", phone: "1", coverLetter: "CL",
                status: .shortlisted, submittedAt: at, retentionUntil: later, language: "da"
            )
            try roundTrip(&application, db)
            var document = Document(
                applicationId: application.id!, kind: "cv", originalName: "cv.pdf", mediaType: "application/pdf", size: 7,
                storageName: "s", encryptionKey: Data([6]), createdAt: at
            )
            try roundTrip(&document, db)
            var notice = Notice(kind: .transfer, version: 99, body: "B", bodyDa: "BD", publishedAt: at, publishedBy: user.id!)
            try roundTrip(&notice, db)
            var acknowledgement = NoticeAcknowledgement(
                applicationId: application.id!, noticeId: notice.id!, acknowledgedAt: at, shownDetail: "SD", language: "da"
            )
            try roundTrip(&acknowledgement, db)
            var event = AuditEvent(
                id: nil, occurredAtMillis: 1_790_000_000_123, actor: "staff:\(user.id!)", action: "document.downloaded",
                subjectType: "document", subjectId: document.id!, detail: "application=\(application.id!)", previousHash: "P", hash: "H"
            )
            try roundTrip(&event, db)
        }
    }

    /// Stores `record`, reads its row back, and expects the same record; and expects that the
    /// record has every field set (so that a field left out cannot pass as its default) and
    /// writes exactly its table's columns, one per property; not the generated ones, which
    /// SQLite computes (`hidden` 2 and 3 in `table_xinfo`).
    private func roundTrip<Record: MutablePersistableRecord & FetchableRecord & Encodable>(_ record: inout Record, _ db: Database) throws {
        let name = String(describing: Record.self)
        let table = Set(try String.fetchAll(db, sql: "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0", arguments: [Record.databaseTableName]))
        #expect(!table.isEmpty)
        #expect(Set(try record.databaseDictionary.keys) == table, "\(name) does not write every column of its table")

        try record.insert(db)
        // Its properties as `Codable` names them in snake_case; a nil one is left out.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        let properties = try #require(try JSONSerialization.jsonObject(with: encoder.encode(record)) as? [String: Any])
        #expect(Set(properties.keys) == table, "\(name) has a property that is nil in the fixture or has no column")
        #expect(!properties.values.contains { $0 as? String == "" }, "\(name) fixture leaves a text empty")

        let stored = try #require(try Record.fetchOne(db, sql: "SELECT * FROM \(Record.databaseTableName) WHERE rowid = ?", arguments: [db.lastInsertedRowID]))
        #expect(String(decoding: try encoder.encode(stored), as: UTF8.self) == String(decoding: try encoder.encode(record), as: UTF8.self), "\(name) read back differs")
    }
}
