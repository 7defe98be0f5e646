import Foundation
import GRDB

/// Group commit: writes that arrive while a transaction is being committed wait and go together
/// into the next one, one fsync for all of them. Each write runs in a savepoint of its own, so
/// one that throws is undone alone and its caller gets its error; each caller returns only
/// after the transaction holding its write is durable (or throws if that commit fails; nothing
/// of the batch is then stored). Under no load a batch is one write and costs what a single
/// transaction did; under load the commits, not the writes, are what the disk counts.
///
/// Used for the audit events of views and downloads (``AppDatabase/audit(_:actor:subjectType:subjectId:detail:at:)``)
/// and for storing applications (``AppDatabase/submit(_:at:policy:)``): the writes that come
/// many at a time from separate requests.
actor GroupCommit {
    private struct Job {
        let work: @Sendable (Database) throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private let writer: any DatabaseWriter
    private var pending: [Job] = []
    private var committing = false

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Runs `work` in the next transaction; returns its value once that transaction committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            pending.append(Job(work: { try work($0) }, continuation: continuation))
            if !committing {
                committing = true
                Task { await commitPending() }
            }
        }
        return value as! T
    }

    /// Commits what is pending, batch after batch, until nothing is.
    private func commitPending() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let works = batch.map(\.work)
            do {
                let outcomes = try await writer.write { db in
                    try works.map { work -> Result<any Sendable, any Error> in
                        var value: (any Sendable)?
                        do {
                            try db.inSavepoint {
                                value = try work(db)
                                return .commit
                            }
                        } catch {
                            // A failure that ended the transaction itself fails the whole batch.
                            guard db.isInsideTransaction else { throw error }
                            return .failure(error)
                        }
                        return .success(value!)
                    }
                }
                for (job, outcome) in zip(batch, outcomes) { job.continuation.resume(with: outcome) }
            } catch {
                for job in batch { job.continuation.resume(throwing: error) }
            }
        }
        committing = false
    }
}
