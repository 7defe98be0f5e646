import Foundation
import GRDB

extension AppDatabase {
    /// Records a reference check, only where the applicant's permission stands.
    public func recordReferenceCheck(applicationId: Int64, referenceId: Int64, by user: StaffUser, contactedOn: String, summary: String, at now: Date) async throws {
        try await writer.write { db in
            guard let reference = try Reference.filter(key: referenceId).filter(Reference.Columns.applicationId == applicationId).fetchOne(db) else {
                throw NotFound("reference")
            }
            guard reference.permissionStands else { throw RecordingRefused.noReferencePermission }
            var check = ReferenceCheck(referenceId: referenceId, recordedBy: user.id, contactedOn: contactedOn, summary: summary, createdAt: now)
            try check.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "reference.checked", subjectType: "application", subjectId: applicationId, detail: "reference=\(referenceId) check=\(check.id!)")
        }
    }

    /// The applicant withdraws permission to contact one of their references; takes effect at once.
    public func withdrawReferencePermission(linkHash: Data, referenceId: Int64, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try Self.application(db, linkHash: linkHash),
                  var reference = try Reference.filter(key: referenceId).filter(Reference.Columns.applicationId == application.id!).fetchOne(db)
            else { throw NotFound("reference") }
            guard reference.permissionStands else { return }
            reference.permissionWithdrawnAt = now
            try reference.update(db, columns: [Reference.Columns.permissionWithdrawnAt])
            try AuditLog.append(db, at: now, actor: .applicant, action: "reference.permission_withdrawn", subjectType: "application", subjectId: application.id, detail: "reference=\(referenceId)")
        }
    }
}
