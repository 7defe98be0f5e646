import Foundation
import GRDB
import Synchronization

/// What an erasure notice may say of the application it announces.
public struct ErasedApplication: Sendable {
    public var name: String
    public var email: String
    public var vacancyTitle: String
    public var submittedAt: Date
    /// The language the applicant applied in.
    public var language: String
}

/// Which applications one erasure transaction takes.
enum ErasureSelection: Sendable {
    /// Those whose retention ended by this instant, the earliest first, at most `limit`.
    case dueBy(Date, limit: Int)
    /// One application (erasure on request, or withdrawal).
    case application(Int64)
}

extension AppDatabase {
    /// How many applications are due at `asOf`, and their documents; changes nothing.
    func purgeDue(asOf: Date) async throws -> (applications: Int, documents: Int) {
        try await writer.read { db in
            let due = JobApplication.filter(JobApplication.Columns.retentionUntil <= asOf)
            return (try due.fetchCount(db), try due.joining(required: JobApplication.documents).fetchCount(db))
        }
    }

    /// One erasure transaction: the selected applications' rows go (their document keys with
    /// them), their files are queued for removal, and a purge record and an audit event with
    /// counts and ids only are written. Returns how many were erased and the files to unlink.
    /// `clearing` names files an earlier batch has unlinked meanwhile: their queue entries go in
    /// the same transaction, which saves a commit per batch.
    func eraseApplications(
        _ selection: ErasureSelection, reason: PurgeRecord.Reason, actor: AuditActor, asOf: Date, now: Date,
        notice: (@Sendable (ErasedApplication) -> OutgoingMail?)? = nil, clearing: [String] = [],
        afterSelecting: (@Sendable () throws -> Void)? = nil
    ) async throws -> (applications: Int, files: [String]) {
        try await writer.write { db in
            try Self.clearPendingFileRemovals(db, clearing)
            let ids: [Int64] = switch selection {
            case .dueBy(let instant, let limit):
                try JobApplication.filter(JobApplication.Columns.retentionUntil <= instant)
                    .order(JobApplication.Columns.retentionUntil, JobApplication.Columns.id).limit(limit)
                    .select(JobApplication.Columns.id, as: Int64.self).fetchAll(db)
            case .application(let id):
                try JobApplication.filter(key: id).select(JobApplication.Columns.id, as: Int64.self).fetchAll(db)
            }
            guard !ids.isEmpty else { return (0, []) }
            try afterSelecting?()
            let files = try Document.filter(ids.contains(Document.Columns.applicationId)).select(Document.Columns.storageName, as: String.self).fetchAll(db)
            let queue = try db.cachedStatement(sql: "INSERT OR IGNORE INTO pending_file_removal (storage_name, queued_at) VALUES (?, ?)")
            for name in files { try queue.execute(arguments: [name, now]) }
            // The one message that outlives its application: queued without it, and deleted
            // once delivered or failed.
            let notices = try notice.map { compose in
                try JobApplication.filter(keys: ids).including(required: JobApplication.vacancy.select(Vacancy.Columns.title))
                    .asRequest(of: ErasedRow.self).fetchAll(db)
                    .compactMap { compose(ErasedApplication(name: $0.application.name, email: $0.application.email, vacancyTitle: $0.vacancy.title, submittedAt: $0.application.submittedAt, language: $0.application.language)) }
            } ?? []
            try JobApplication.filter(keys: ids).deleteAll(db)
            for mail in notices {
                try Self.enqueue(db, mail, applicationId: nil, at: now)
            }
            var record = PurgeRecord(purgedAt: now, asOf: asOf, reason: reason, applications: ids.count, documents: files.count)
            try record.insert(db)
            let detail = ids.count == 1 ? "application=\(ids[0]) documents=\(files.count)" : "applications=\(ids.count) documents=\(files.count) first=\(ids.min()!) last=\(ids.max()!)"
            try AuditLog.append(db, at: now, actor: actor, action: "application.erased", subjectType: "purge_record", subjectId: record.id, detail: "reason=\(reason.rawValue) \(detail)")
            return (ids.count, files)
        }
    }

    /// Files whose rows are gone but which a crashed run did not unlink yet.
    func pendingFileRemovals() async throws -> [String] {
        try await writer.read { db in try String.fetchAll(db, sql: "SELECT storage_name FROM pending_file_removal") }
    }

    /// Forgets files once they are unlinked.
    func clearPendingFileRemovals(_ names: [String]) async throws {
        guard !names.isEmpty else { return }
        try await writer.write { db in try Self.clearPendingFileRemovals(db, names) }
    }

    private static func clearPendingFileRemovals(_ db: Database, _ names: [String]) throws {
        let statement = try db.cachedStatement(sql: "DELETE FROM pending_file_removal WHERE storage_name = ?")
        for name in names { try statement.execute(arguments: [name]) }
    }

    /// The stored file of every document row and every kept upload.
    func storedDocumentNames() async throws -> Set<String> {
        try await writer.read { db in
            try Set(Document.select(Document.Columns.storageName, as: String.self).fetchAll(db))
                .union(KeptUpload.select(KeptUpload.Columns.storageName, as: String.self).fetchAll(db))
        }
    }

    /// Moves the WAL's content into the database file and truncates the WAL, so that erased rows
    /// do not linger in it; answers whether it got to the end.
    ///
    /// A reader that keeps a snapshot from before an erasure for longer than the busy timeout
    /// (a backup, an operator's long query) stops the checkpoint part way: the erased rows then
    /// stay in the file the checkpoint did not reach. The checkpoint is then owed, and
    /// ``checkpoint(after:)`` runs it again at the next delivery or purge pass.
    @discardableResult
    public func checkpoint() async throws -> Bool {
        let complete = try await writer.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") == 0  // "busy" is 1 when stopped part way
        }
        checkpointOwed.set(!complete)
        return complete
    }

    /// Checkpoints when `erased` (a pass erased or delivered something) or when an earlier
    /// checkpoint was stopped part way.
    public func checkpoint(after erased: Bool) async throws {
        if erased || checkpointOwed.isSet { try await checkpoint() }
    }

    /// Recent purge records, newest first.
    public func recentPurges(limit: Int = 20) async throws -> [PurgeRecord] {
        try await writer.read { db in try PurgeRecord.order(PurgeRecord.Columns.id.desc).limit(limit).fetchAll(db) }
    }

    /// Checks the audit chain.
    public func verifyAuditLog() async throws -> AuditLog.Verification {
        try await writer.read { db in try AuditLog.verify(db) }
    }
}

/// An application about to be erased, with its vacancy's title.
private struct ErasedRow: Decodable, FetchableRecord {
    struct Title: Decodable { var title: String }
    var application: JobApplication
    var vacancy: Title
}

/// A flag the copies of an ``AppDatabase`` share (a class), set and read under a lock.
final class Flag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set(_ new: Bool) { value.withLock { $0 = new } }
}
