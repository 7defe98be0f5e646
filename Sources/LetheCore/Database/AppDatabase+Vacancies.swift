import Foundation
import GRDB

extension AppDatabase {
    /// Vacancies taking applications at `date`, soonest closing first.
    public func openVacancies(at date: Date) async throws -> [Vacancy] {
        let today = DayFormat.string(from: date)
        return try await writer.read { db in
            try Vacancy
                .filter(Vacancy.Columns.status == Vacancy.Status.open.rawValue && Vacancy.Columns.closesOn >= today)
                .order(Vacancy.Columns.closesOn, Vacancy.Columns.title)
                .fetchAll(db)
        }
    }

    /// One vacancy with its current transfer destinations, or nil.
    public func vacancy(id: Int64) async throws -> (vacancy: Vacancy, destinations: [TransferDestination])? {
        try await writer.read { db in
            guard let vacancy = try Vacancy.fetchOne(db, key: id) else { return nil }
            let destinations = try TransferDestination.current(ofVacancy: id).fetchAll(db)
            return (vacancy, destinations)
        }
    }

    /// Creates a vacancy and its transfer destinations in one transaction.
    @discardableResult
    public func createVacancy(_ vacancy: Vacancy, destinations: [TransferDestination], actor: AuditActor) async throws -> Vacancy {
        try await writer.write { db in
            var vacancy = vacancy
            try vacancy.insert(db)
            for destination in destinations {
                var destination = destination
                destination.vacancyId = vacancy.id!
                try destination.insert(db)
            }
            try AuditLog.append(
                db, at: vacancy.createdAt, actor: actor, action: "vacancy.created", subjectType: "vacancy", subjectId: vacancy.id
            )
            return vacancy
        }
    }

    /// Finds a vacancy by its exact title; used to keep demo data idempotent.
    public func vacancy(titled title: String) async throws -> Vacancy? {
        try await writer.read { db in try Vacancy.filter(Vacancy.Columns.title == title).fetchOne(db) }
    }

    /// The current version of each kind of notice.
    public func currentNotices() async throws -> [Notice.Kind: Notice] {
        try await writer.read { db in
            var result: [Notice.Kind: Notice] = [:]
            for kind in Notice.Kind.allCases {
                result[kind] = try Self.currentNotice(db, kind: kind)
            }
            return result
        }
    }

    /// Publishes the first version of every kind of notice that has none yet, naming `controller`.
    public func publishDefaultNotices(at date: Date, controller: DataController) async throws {
        try await writer.write { db in
            for kind in Notice.Kind.allCases where try Self.currentNotice(db, kind: kind) == nil {
                var notice = Notice(kind: kind, version: 1, body: DefaultNotices.body(of: kind, controller: controller), publishedAt: date)
                try notice.insert(db)
                try AuditLog.append(
                    db, at: date, actor: .system, action: "notice.published", subjectType: "notice", subjectId: notice.id,
                    detail: "kind=\(kind.rawValue) version=1"
                )
            }
        }
    }
}
