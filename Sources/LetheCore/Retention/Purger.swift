import Foundation
import GRDB

/// Erases applications: those whose retention has ended, in batches, and single ones on request.
///
/// Per batch one transaction deletes the rows (and with them the documents' keys, so the files
/// can no longer be read), queues the files for removal and writes a purge record and an audit
/// event with counts and ids only. After COMMIT the files are unlinked and their queue entries
/// cleared. A crash at any point leaves either the rows (the next run purges them) or queued
/// files (the next run removes them): running again converges to the state of one clean run.
public struct Purger: Sendable {
    /// The points where a test can make a run fail, to prove that the next run converges.
    public enum Step: Sendable, Equatable {
        case afterSelecting
        case afterCommit
        case betweenUnlinks
    }

    /// What a run erased.
    public struct Summary: Sendable, Equatable, Codable {
        public var purged: Int
        public var documents: Int

        /// Counts of one run.
        public init(purged: Int, documents: Int) {
            self.purged = purged
            self.documents = documents
        }
    }

    let database: AppDatabase
    let store: DocumentStore
    /// Applications per transaction.
    public var batchSize = 500
    /// A stored file no row references is removed only once it is this old, so a file renamed
    /// into place just before its transaction commits is never taken for an orphan.
    public var orphanGrace: TimeInterval = 15 * 60
    /// Test hook: called at each step; throwing there simulates a crash.
    public var faultInjection: (@Sendable (Step) throws -> Void)?

    /// A purger over the database and the document store.
    public init(database: AppDatabase, store: DocumentStore) {
        self.database = database
        self.store = store
    }

    /// How many applications are due at `asOf`, and their documents; changes nothing.
    public func due(asOf: Date) async throws -> Summary {
        try await database.writer.read { db in
            let purged = try Int.fetchOne(db, sql: "SELECT count(*) FROM application WHERE retention_until <= ?", arguments: [asOf]) ?? 0
            let documents = try Int.fetchOne(db, sql: "SELECT count(*) FROM document JOIN application ON application.id = document.application_id WHERE retention_until <= ?", arguments: [asOf]) ?? 0
            return Summary(purged: purged, documents: documents)
        }
    }

    /// Erases every application whose retention ended at or before `asOf`.
    /// `progress` is told the running total after each batch.
    @discardableResult
    public func purgeExpired(asOf: Date, now: Date, progress: (@Sendable (Summary) -> Void)? = nil) async throws -> Summary {
        try await finishPendingRemovals()
        var total = Summary(purged: 0, documents: 0)
        while true {
            let batch = try await eraseBatch(reason: .retention, actor: .system, asOf: asOf, now: now) { db in
                try Int64.fetchAll(db, sql: "SELECT id FROM application WHERE retention_until <= ? ORDER BY retention_until, id LIMIT ?", arguments: [asOf, batchSize])
            }
            guard batch.purged > 0 else { break }
            total.purged += batch.purged
            total.documents += batch.documents
            progress?(total)
        }
        if total.purged > 0 { try await database.checkpoint() }
        return total
    }

    /// Erases one application at once (HR on request, or the applicant withdrawing it).
    public func erase(applicationId: Int64, reason: PurgeRecord.Reason, actor: AuditActor, now: Date) async throws -> Bool {
        let result = try await eraseBatch(reason: reason, actor: actor, asOf: now, now: now) { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM application WHERE id = ?", arguments: [applicationId])
        }
        try await database.checkpoint()
        return result.purged == 1
    }

    private func eraseBatch(reason: PurgeRecord.Reason, actor: AuditActor, asOf: Date, now: Date, select: @escaping @Sendable (Database) throws -> [Int64]) async throws -> Summary {
        let fault = faultInjection
        let (summary, files) = try await database.writer.write { db -> (Summary, [String]) in
            let ids = try select(db)
            guard !ids.isEmpty else { return (Summary(purged: 0, documents: 0), []) }
            try fault?(.afterSelecting)
            let idList = ids.map(String.init).joined(separator: ",")
            let files = try String.fetchAll(db, sql: "SELECT storage_name FROM document WHERE application_id IN (\(idList))")
            for name in files {
                try db.execute(sql: "INSERT OR IGNORE INTO pending_file_removal (storage_name, queued_at) VALUES (?, ?)", arguments: [name, now])
            }
            try db.execute(sql: "DELETE FROM application WHERE id IN (\(idList))")
            var record = PurgeRecord(id: nil, purgedAt: now, asOf: asOf, reason: reason, applications: ids.count, documents: files.count)
            try record.insert(db)
            let detail = ids.count == 1 ? "application=\(ids[0]) documents=\(files.count)" : "applications=\(ids.count) documents=\(files.count) first=\(ids.min()!) last=\(ids.max()!)"
            try AuditLog.append(db, at: now, actor: actor, action: "application.erased", subjectType: "purge_record", subjectId: record.id, detail: "reason=\(reason.rawValue) \(detail)")
            return (Summary(purged: ids.count, documents: files.count), files)
        }
        try fault?(.afterCommit)
        try await removeFiles(files)
        return summary
    }

    /// Unlinks files whose rows are gone, then clears their queue entries.
    private func removeFiles(_ names: [String]) async throws {
        for (index, name) in names.enumerated() {
            try store.remove(storageName: name)
            if index == 0, names.count > 1 { try faultInjection?(.betweenUnlinks) }
        }
        guard !names.isEmpty else { return }
        try await database.writer.write { db in
            for name in names {
                try db.execute(sql: "DELETE FROM pending_file_removal WHERE storage_name = ?", arguments: [name])
            }
        }
    }

    /// Removes files a crashed run queued but did not unlink.
    public func finishPendingRemovals() async throws {
        let pending = try await database.writer.read { db in try String.fetchAll(db, sql: "SELECT storage_name FROM pending_file_removal") }
        try await removeFiles(pending)
    }

    /// Removes stored files that no document row references (older than the grace period), and
    /// temporary upload files a crash left behind. Returns how many were removed.
    @discardableResult
    public func sweepOrphans(now: Date) async throws -> Int {
        let referenced = Set(try await database.writer.read { db in try String.fetchAll(db, sql: "SELECT storage_name FROM document") })
        var removed = 0
        for name in try store.storedNames() + store.temporaryNames() where !referenced.contains(name) {
            let modified = (try? FileManager.default.attributesOfItem(atPath: store.path(of: name))[.modificationDate] as? Date) ?? now
            guard now.timeIntervalSince(modified) >= orphanGrace else { continue }
            try store.remove(storageName: name)
            removed += 1
        }
        return removed
    }
}

extension AppDatabase {
    /// Moves the WAL's content into the database file and truncates the WAL, so that erased rows
    /// do not linger in it.
    public func checkpoint() async throws {
        try await writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// Recent purge records, newest first.
    public func recentPurges(limit: Int = 20) async throws -> [PurgeRecord] {
        try await writer.read { db in try PurgeRecord.order(Column("id").desc).limit(limit).fetchAll(db) }
    }

    /// Checks the audit chain.
    public func verifyAuditLog() async throws -> AuditLog.Verification {
        try await writer.read { db in try AuditLog.verify(db) }
    }
}
