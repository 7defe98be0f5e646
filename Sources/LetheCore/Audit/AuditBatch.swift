import Foundation
import GRDB

/// Group commit for audit events written on their own (a page viewed, a list shown, a document
/// downloaded): events that arrive while a batch is being committed wait and go together into
/// the next transaction, one fsync for all of them. Each caller still returns only after its
/// own event is durable, or throws; an event is never dropped. Under no load a batch is one
/// event and costs what a single write did; under load the commits, not the events, are what
/// the disk counts.
actor AuditBatch {
    struct Event: Sendable {
        let at: Date
        let actor: AuditActor
        let action: String
        let subjectType: String?
        let subjectId: Int64?
        let detail: String
    }

    private let writer: any DatabaseWriter
    private var pending: [(Event, CheckedContinuation<Void, any Error>)] = []
    private var committing = false

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Appends `event` to the chain; returns when its batch has committed.
    func append(_ event: Event) async throws {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((event, continuation))
            if !committing {
                committing = true
                Task { await commitPending() }
            }
        }
    }

    /// Commits what is pending, batch after batch, until nothing is.
    private func commitPending() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let events = batch.map(\.0)
            do {
                try await writer.write { db in
                    for event in events {
                        _ = try AuditLog.append(db, at: event.at, actor: event.actor, action: event.action,
                                                subjectType: event.subjectType, subjectId: event.subjectId, detail: event.detail)
                    }
                }
                for (_, continuation) in batch { continuation.resume() }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
        committing = false
    }
}
