import Foundation
import GRDB

extension AppDatabase {
    /// Records that an application was shared with one of its international vacancy's partners:
    /// only a partner the applicant was told about when applying, and not removed since.
    public func recordTransfer(applicationId: Int64, destinationId: Int64, what: String, sharedOn: String, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try JobApplication.fetchOne(db, key: applicationId),
                  let vacancy = try application.request(for: JobApplication.vacancy).fetchOne(db)
            else { throw NotFound("application") }
            guard vacancy.international else { throw RecordingRefused.notInternational }
            let acknowledged = try application.request(for: JobApplication.acknowledgedDestinations).fetchAll(db)
            guard !acknowledged.isEmpty else { throw RecordingRefused.transferNotAcknowledged }
            guard let destination = try TransferDestination.fetchOne(db, key: destinationId), destination.vacancyId == vacancy.id else {
                throw RecordingRefused.unknownDestination
            }
            guard destination.removedAt == nil, acknowledged.contains(where: { $0.id == destinationId }) else {
                throw RecordingRefused.partnerNotAcknowledged
            }
            var record = TransferRecord(applicationId: applicationId, destinationId: destinationId, what: what, sharedOn: sharedOn, recordedBy: user.id, createdAt: now)
            try record.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "application.transferred", subjectType: "application", subjectId: applicationId, detail: "destination=\(destinationId) transfer=\(record.id!)")
        }
    }

    /// Adds a transfer destination to a vacancy (which becomes international).
    public func addDestination(vacancyId: Int64, country: String, recipient: String, safeguard: TransferDestination.Safeguard, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var vacancy = try Vacancy.fetchOne(db, key: vacancyId) else { throw NotFound("vacancy") }
            var destination = TransferDestination(vacancyId: vacancyId, country: country, recipient: recipient, safeguard: safeguard)
            try destination.insert(db)
            if !vacancy.international {
                vacancy.international = true
                try vacancy.update(db, columns: [Vacancy.Columns.international])
            }
            try AuditLog.append(db, at: now, actor: .staff(user), action: "vacancy.destination_added", subjectType: "vacancy", subjectId: vacancyId, detail: "destination=\(destination.id!)")
        }
    }

    /// Takes a partner off a vacancy: new applicants are no longer told about it and no transfer
    /// to it can be recorded; it stays on record for the applicants who were told about it. A
    /// vacancy left without partners is no longer international.
    public func removeDestination(vacancyId: Int64, destinationId: Int64, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            let removed = try TransferDestination
                .filter(key: destinationId).filter(TransferDestination.Columns.vacancyId == vacancyId && TransferDestination.Columns.removedAt == nil)
                .updateAll(db, TransferDestination.Columns.removedAt.set(to: now))
            guard removed > 0 else { throw NotFound("transfer destination") }
            if try TransferDestination.current(db, vacancyId: vacancyId).isEmpty {
                try Vacancy.filter(key: vacancyId).updateAll(db, Vacancy.Columns.international.set(to: false))
            }
            try AuditLog.append(db, at: now, actor: .staff(user), action: "vacancy.destination_removed", subjectType: "vacancy", subjectId: vacancyId, detail: "destination=\(destinationId)")
        }
    }
}
