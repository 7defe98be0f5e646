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
        }
    }

    /// Stores `record`, reads its row back, and expects the same record; first, that the record
    /// has every field set (so that a field left out cannot pass as its default) and that it
    /// writes exactly its table's columns, one per property.
    private func roundTrip<Record: MutablePersistableRecord & FetchableRecord & Encodable>(_ record: inout Record, _ db: Database) throws {
        let name = String(describing: Record.self)
        let properties = Mirror(reflecting: record).children
        let unset = properties.filter { child in
            (child.value as? any OptionalProtocol)?.isNone == true || (child.value as? String)?.isEmpty == true
        }
        #expect(unset.isEmpty || unset.map(\.label) == ["id"], "\(name) fixture leaves \(unset.map(\.label)) unset")
        let table = Set(try db.columns(in: Record.databaseTableName).map(\.name))
        #expect(Set(properties.compactMap(\.label).map(snakeCase)) == table, "\(name)'s properties are not its table's columns")
        #expect(Set(try record.databaseDictionary.keys) == table, "\(name) does not write every column of its table")

        try record.insert(db)
        let stored = try #require(try Record.fetchOne(db, sql: "SELECT * FROM \(Record.databaseTableName) WHERE rowid = ?", arguments: [db.lastInsertedRowID]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(stored), as: UTF8.self) == String(decoding: try encoder.encode(record), as: UTF8.self), "\(name) read back differs")
    }

    private func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}

/// Tells a property that is nil from one that holds a value.
private protocol OptionalProtocol {
    var isNone: Bool { get }
}

extension Optional: OptionalProtocol {
    fileprivate var isNone: Bool { self == nil }
}
