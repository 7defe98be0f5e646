import Foundation

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
    /// After each batch, a rest of this many times the batch's own time, so that forgetting
    /// inside a serving process does not take the writer, the cores and the disk from the
    /// requests (`lethe serve`'s scheduler sets it). 0, for `lethe purge` alone: no rest.
    public var restFactor = 0.0
    /// A stored file no row references is removed only once it is this old, so a file renamed
    /// into place just before its transaction commits is never taken for an orphan.
    public var orphanGrace: TimeInterval = 15 * 60
    /// Writes the message that tells an applicant their application was erased; none when nil.
    public var erasureNotice: (@Sendable (ErasedApplication) -> OutgoingMail?)?
    /// Writes the reminder before erasure, carrying a fresh link; none when nil.
    public var reminder: (@Sendable (LinkedApplication, SecretToken) -> OutgoingMail?)?
    /// How long before the erasure date the reminder goes (`--reminder-days`).
    public var reminderLead: TimeInterval = 30 * 86_400
    /// The retention rule (reminders skip applications kept to its maximum).
    public var policy = RetentionPolicy()
    /// Test hook: called at each step; throwing there simulates a crash.
    public var faultInjection: (@Sendable (Step) throws -> Void)?

    /// A purger over the database and the document store.
    public init(database: AppDatabase, store: DocumentStore) {
        self.database = database
        self.store = store
    }

    /// Queues the reminders due by `asOf` (erasure within ``reminderLead``); returns how many.
    @discardableResult
    public func queueReminders(asOf: Date, now: Date) async throws -> Int {
        guard let reminder else { return 0 }
        return try await database.queueReminders(asOf: asOf, lead: reminderLead, policy: policy, compose: reminder, at: now)
    }

    /// How many applications are due at `asOf`, and their documents; changes nothing.
    public func due(asOf: Date) async throws -> Summary {
        let due = try await database.purgeDue(asOf: asOf)
        return Summary(purged: due.applications, documents: due.documents)
    }

    /// Erases every application whose retention ended at or before `asOf`.
    /// `progress` is told the running total after each batch.
    ///
    /// Pipelined: while one batch's transaction commits, the files of the batch before are
    /// unlinked off the database's path, and their queue entries are cleared in the next
    /// batch's transaction. A crash anywhere leaves rows or queued files, as before.
    @discardableResult
    public func purgeExpired(asOf: Date, now: Date, progress: (@Sendable (Summary) -> Void)? = nil) async throws -> Summary {
        try await finishPendingRemovals()
        var total = Summary(purged: 0, documents: 0)
        var unlinking: Task<[String], any Error>?
        var unlinked: [String] = []
        let fault = faultInjection
        let clock = ContinuousClock()
        while true {
            let started = clock.now
            let erased = try await database.eraseApplications(
                .dueBy(asOf, limit: batchSize), reason: .retention, actor: .system, asOf: asOf, now: now, notice: erasureNotice, clearing: unlinked
            ) { try fault?(.afterSelecting) }
            unlinked = []
            if erased.applications > 0 { try fault?(.afterCommit) }
            if let previous = unlinking { unlinked = try await previous.value }
            unlinking = nil
            guard erased.applications > 0 else { break }
            let store = self.store, files = erased.files
            unlinking = Task { try await Blocking.run { try Self.unlink(files, from: store, fault: fault) } }
            total.purged += erased.applications
            total.documents += files.count
            progress?(total)
            // A batch short of the limit was the last: nothing is left to rest between.
            if restFactor > 0, erased.applications == batchSize { try await Task.sleep(for: (clock.now - started) * restFactor) }
        }
        try await database.clearPendingFileRemovals(unlinked)
        try await database.checkpoint(after: total.purged > 0)
        return total
    }

    /// Unlinks `names`, several at a time: an unlink mostly waits for the file system, and the
    /// unlinks were nine tenths of a purge (bench/README.md).
    private static func unlink(_ names: [String], from store: DocumentStore, fault: (@Sendable (Step) throws -> Void)?) throws -> [String] {
        guard let first = names.first else { return names }
        try store.remove(storageName: first)
        guard names.count > 1 else { return names }
        try fault?(.betweenUnlinks)
        let rest = Array(names.dropFirst())
        let threads = min(unlinkThreads, (rest.count + 15) / 16)
        try Blocking.onThreads(threads) { thread in
            for index in stride(from: thread, to: rest.count, by: threads) {
                try store.remove(storageName: rest[index])
            }
        }
        return names
    }

    /// How many threads unlink a batch's files.
    static let unlinkThreads = 8

    /// Erases one application at once (HR on request, or the applicant withdrawing it).
    public func erase(applicationId: Int64, reason: PurgeRecord.Reason, actor: AuditActor, now: Date) async throws -> Bool {
        let result = try await eraseBatch(.application(applicationId), reason: reason, actor: actor, asOf: now, now: now)
        try await database.checkpoint()
        return result.purged == 1
    }

    private func eraseBatch(_ selection: ErasureSelection, reason: PurgeRecord.Reason, actor: AuditActor, asOf: Date, now: Date) async throws -> Summary {
        let fault = faultInjection
        let erased = try await database.eraseApplications(selection, reason: reason, actor: actor, asOf: asOf, now: now, notice: erasureNotice) {
            try fault?(.afterSelecting)
        }
        guard erased.applications > 0 else { return Summary(purged: 0, documents: 0) }
        try fault?(.afterCommit)
        try await removeFiles(erased.files)
        return Summary(purged: erased.applications, documents: erased.files.count)
    }

    /// Unlinks files whose rows are gone, then clears their queue entries.
    private func removeFiles(_ names: [String]) async throws {
        try await database.clearPendingFileRemovals(try Self.unlink(names, from: store, fault: faultInjection))
    }

    /// Removes files a crashed run queued but did not unlink.
    public func finishPendingRemovals() async throws {
        try await removeFiles(try await database.pendingFileRemovals())
    }

    /// Removes kept uploads that expired, stored files that no row references (older than the
    /// grace period), and temporary upload files a crash left behind. Returns how many were removed.
    @discardableResult
    public func sweepOrphans(now: Date) async throws -> Int {
        // Rows first: a crash before the unlink leaves a file no row names, which the loop below
        // removes on a later run.
        let expired = try await database.dropExpiredKeptUploads(at: now)
        for name in expired { try store.remove(storageName: name) }
        let referenced = try await database.storedDocumentNames()
        var removed = expired.count
        for name in try store.storedNames() + store.temporaryNames() where !referenced.contains(name) {
            let modified = (try? FileManager.default.attributesOfItem(atPath: store.path(of: name))[.modificationDate] as? Date) ?? now
            guard now.timeIntervalSince(modified) >= orphanGrace else { continue }
            try store.remove(storageName: name)
            removed += 1
        }
        return removed
    }
}
