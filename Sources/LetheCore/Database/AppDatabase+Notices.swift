import Foundation
import GRDB

/// Why a reference check or a transfer cannot be recorded.
public enum RecordingRefused: Error, Equatable, CustomStringConvertible {
    /// The applicant did not permit contacting this reference, or withdrew the permission.
    case noReferencePermission
    /// The vacancy is not international, so nothing may go outside the EU/EEA.
    case notInternational
    /// The applicant was not shown, or did not acknowledge, the transfer notice.
    case transferNotAcknowledged
    /// The destination is not one of this vacancy's.
    case unknownDestination
    /// The applicant was not told about this partner when applying, or HR has since removed it.
    case partnerNotAcknowledged

    public var description: String {
        switch self {
        case .noReferencePermission: "The applicant has not given permission to contact this reference (or has withdrawn it), so no check can be recorded."
        case .notInternational: "This vacancy is not international: its applications may not be shared outside the EU/EEA."
        case .transferNotAcknowledged: "The applicant did not acknowledge the transfer notice, so the application may not be shared outside the EU/EEA."
        case .unknownDestination: "Choose one of this vacancy's transfer destinations."
        case .partnerNotAcknowledged: "The applicant was not told about this partner when they applied (or it has since been removed), so the application may not be shared with it."
        }
    }
}

extension AppDatabase {
    /// Publishes a new version of a notice; earlier versions stay as they were.
    @discardableResult
    public func publishNotice(kind: Notice.Kind, body: String, by user: StaffUser, at now: Date) async throws -> Notice {
        try await writer.write { db in
            let latest = try Int.fetchOne(db, sql: "SELECT max(version) FROM notice WHERE kind = ?", arguments: [kind.rawValue]) ?? 0
            var notice = Notice(kind: kind, version: latest + 1, body: body, publishedAt: now)
            try notice.insert(db)
            try db.execute(sql: "UPDATE notice SET published_by = ? WHERE id = ?", arguments: [user.id, notice.id])
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "notice.published", subjectType: "notice", subjectId: notice.id, detail: "kind=\(kind.rawValue) version=\(notice.version)")
            return notice
        }
    }

    /// Every version of every notice, newest first within each kind.
    public func allNotices() async throws -> [Notice] {
        try await writer.read { db in try Notice.order(Notice.Columns.kind, Notice.Columns.version.desc).fetchAll(db) }
    }

    /// One notice version.
    public func notice(id: Int64) async throws -> Notice? {
        try await writer.read { db in try Notice.fetchOne(db, key: id) }
    }

    /// Records a reference check, only where the applicant's permission stands.
    public func recordReferenceCheck(applicationId: Int64, referenceId: Int64, by user: StaffUser, contactedOn: String, summary: String, at now: Date) async throws {
        try await writer.write { db in
            guard let reference = try Reference.filter(Column("id") == referenceId && Reference.Columns.applicationId == applicationId).fetchOne(db) else {
                throw NotFound("reference")
            }
            guard reference.permissionStands else { throw RecordingRefused.noReferencePermission }
            var check = ReferenceCheck(id: nil, referenceId: referenceId, recordedBy: user.id, contactedOn: contactedOn, summary: summary, createdAt: now)
            try check.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "reference.checked", subjectType: "application", subjectId: applicationId, detail: "reference=\(referenceId) check=\(check.id!)")
        }
    }

    /// The applicant withdraws permission to contact one of their references; takes effect at once.
    public func withdrawReferencePermission(tokenHash: Data, referenceId: Int64, at now: Date) async throws {
        try await writer.write { db in
            guard let applicationId = try Int64.fetchOne(db, sql: "SELECT id FROM application WHERE token_hash = ?", arguments: [tokenHash]),
                  var reference = try Reference.filter(Column("id") == referenceId && Reference.Columns.applicationId == applicationId).fetchOne(db)
            else { throw NotFound("reference") }
            guard reference.permissionStands else { return }
            reference.permissionWithdrawnAt = now
            try reference.update(db, columns: ["permission_withdrawn_at"])
            try AuditLog.append(db, at: now, actor: .applicant, action: "reference.permission_withdrawn", subjectType: "application", subjectId: applicationId, detail: "reference=\(referenceId)")
        }
    }

    /// Records that an application was shared with one of its international vacancy's partners:
    /// only a partner the applicant was told about when applying, and not removed since.
    public func recordTransfer(applicationId: Int64, destinationId: Int64, what: String, sharedOn: String, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try JobApplication.fetchOne(db, key: applicationId),
                  let vacancy = try Vacancy.fetchOne(db, key: application.vacancyId)
            else { throw NotFound("application") }
            guard vacancy.international else { throw RecordingRefused.notInternational }
            let acknowledged = try Self.acknowledgedDestinations(db, applicationId: applicationId)
            guard !acknowledged.isEmpty else { throw RecordingRefused.transferNotAcknowledged }
            guard let destination = try TransferDestination.fetchOne(db, key: destinationId), destination.vacancyId == vacancy.id else {
                throw RecordingRefused.unknownDestination
            }
            guard destination.removedAt == nil, acknowledged.contains(where: { $0.id == destinationId }) else {
                throw RecordingRefused.partnerNotAcknowledged
            }
            var record = TransferRecord(id: nil, applicationId: applicationId, destinationId: destinationId, what: what, sharedOn: sharedOn, recordedBy: user.id, createdAt: now)
            try record.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "application.transferred", subjectType: "application", subjectId: applicationId, detail: "destination=\(destinationId) transfer=\(record.id!)")
        }
    }

    /// The partners the applicant was told about when applying (removed ones included), by id.
    static func acknowledgedDestinations(_ db: Database, applicationId: Int64) throws -> [TransferDestination] {
        try TransferDestination.fetchAll(db, sql: """
            SELECT transfer_destination.* FROM transfer_destination
            JOIN acknowledged_destination ON acknowledged_destination.destination_id = transfer_destination.id
            WHERE acknowledged_destination.application_id = ? ORDER BY transfer_destination.id
            """, arguments: [applicationId])
    }

    /// Adds a transfer destination to a vacancy (which becomes international).
    public func addDestination(vacancyId: Int64, country: String, recipient: String, safeguard: TransferDestination.Safeguard, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var vacancy = try Vacancy.fetchOne(db, key: vacancyId) else { throw NotFound("vacancy") }
            var destination = TransferDestination(vacancyId: vacancyId, country: country, recipient: recipient, safeguard: safeguard)
            try destination.insert(db)
            if !vacancy.international {
                vacancy.international = true
                try vacancy.update(db, columns: ["international"])
            }
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "vacancy.destination_added", subjectType: "vacancy", subjectId: vacancyId, detail: "destination=\(destination.id!)")
        }
    }

    /// Takes a partner off a vacancy: new applicants are no longer told about it and no transfer
    /// to it can be recorded; it stays on record for the applicants who were told about it. A
    /// vacancy left without partners is no longer international.
    public func removeDestination(vacancyId: Int64, destinationId: Int64, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE transfer_destination SET removed_at = ? WHERE id = ? AND vacancy_id = ? AND removed_at IS NULL", arguments: [now, destinationId, vacancyId])
            guard db.changesCount > 0 else { throw NotFound("transfer destination") }
            if try TransferDestination.current(ofVacancy: vacancyId).fetchCount(db) == 0 {
                try db.execute(sql: "UPDATE vacancy SET international = 0 WHERE id = ?", arguments: [vacancyId])
            }
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "vacancy.destination_removed", subjectType: "vacancy", subjectId: vacancyId, detail: "destination=\(destinationId)")
        }
    }

    /// The reference checks of an application's references, by reference id.
    static func referenceChecks(_ db: Database, applicationId: Int64) throws -> [Int64: [(check: ReferenceCheck, by: String?)]] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT reference_check.*, staff_user.name AS author FROM reference_check
            JOIN reference ON reference.id = reference_check.reference_id
            LEFT JOIN staff_user ON staff_user.id = reference_check.recorded_by
            WHERE reference.application_id = ? ORDER BY reference_check.id
            """, arguments: [applicationId])
        var result: [Int64: [(ReferenceCheck, String?)]] = [:]
        for row in rows {
            let check = try ReferenceCheck(row: row)
            result[check.referenceId, default: []].append((check, row["author"]))
        }
        return result
    }

    /// The transfers recorded for an application, with their destinations.
    static func transfers(_ db: Database, applicationId: Int64) throws -> [(record: TransferRecord, destination: TransferDestination)] {
        try TransferRecord.filter(Column("application_id") == applicationId).order(Column("id")).fetchAll(db).map {
            ($0, try TransferDestination.fetchOne(db, key: $0.destinationId)!)
        }
    }
}
