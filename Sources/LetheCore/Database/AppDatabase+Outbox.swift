import Foundation
import GRDB

/// How the outbox retries: after a minute, doubling up to an hour, for at most 72 hours.
public struct OutboxPolicy: Sendable {
    public var firstRetry: TimeInterval = 60
    public var longestRetry: TimeInterval = 60 * 60
    public var giveUpAfter: TimeInterval = 72 * 60 * 60
    /// How long a delivery loop holds a message it took before another may take it.
    public var lease: TimeInterval = 5 * 60

    public init() {}

    /// The wait after the n-th failed attempt.
    func retryDelay(afterAttempt attempts: Int) -> TimeInterval {
        min(firstRetry * pow(2, Double(max(0, min(attempts - 1, 20)))), longestRetry)
    }
}

/// The outbox as HR sees it: what waits, what failed, and counts by kind and status.
public struct OutboxOverview: Sendable {
    public var waiting: [OutboxMessage]
    public var counts: [(kind: MailKind, status: OutboxMessage.Status, count: Int)]
}

extension AppDatabase {
    /// Queues a message inside the caller's transaction: it is sent only if that commits.
    @discardableResult
    static func enqueue(_ db: Database, _ mail: OutgoingMail, applicationId: Int64?, staffUserId: Int64? = nil, reminderFor: Date? = nil, at now: Date) throws -> OutboxMessage {
        var message = OutboxMessage(mail, applicationId: applicationId, staffUserId: staffUserId, reminderFor: reminderFor, at: now)
        try message.insert(db)
        try AuditLog.append(db, at: now, actor: .system, action: "mail.queued", subjectType: "outbox_message", subjectId: message.id, detail: "kind=\(mail.kind.rawValue)" + (applicationId.map { " application=\($0)" } ?? ""))
        return message
    }

    /// Takes up to `limit` messages that are due (or whose last holder's lease ran out) for
    /// one delivery loop: they are leased to it, so no other loop or process takes them meanwhile.
    public func claimDueMail(limit: Int, policy: OutboxPolicy, at now: Date) async throws -> [OutboxMessage] {
        try await writer.write { db in
            let c = OutboxMessage.Columns.self
            var due = try OutboxMessage
                .filter((c.status == OutboxMessage.Status.pending.rawValue && c.nextAttemptAt <= now)
                        || (c.status == OutboxMessage.Status.sending.rawValue && c.leaseUntil <= now))
                .order(c.id).limit(limit).fetchAll(db)
            for index in due.indices {
                due[index].status = .sending
                due[index].leaseUntil = now.addingTimeInterval(policy.lease)
                due[index].attempts += 1
                try due[index].update(db)
            }
            return due
        }
    }

    /// Records what happened to the messages of one delivery batch, in one transaction.
    ///
    /// A delivered message keeps only its kind, times and status; an erasure notice, whose
    /// application is gone, leaves nothing. A failed attempt waits for its next try, or, 72 hours
    /// after the message was queued, the message has failed (an erasure notice then leaves nothing).
    public func recordMailOutcomes(delivered: [Int64], failed: [(id: Int64, error: String)], policy: OutboxPolicy, at now: Date) async throws {
        guard !delivered.isEmpty || !failed.isEmpty else { return }
        try await writer.write { db in
            for id in delivered {
                guard var message = try OutboxMessage.fetchOne(db, key: id) else { continue }
                if message.kind == .erasureNotice {
                    try message.delete(db)
                    continue
                }
                message.status = .delivered
                message.finishedAt = now
                message.leaseUntil = nil
                message.lastError = nil
                (message.recipient, message.recipientName, message.subject, message.body) = (nil, nil, nil, nil)
                try message.update(db)
            }
            for (id, error) in failed {
                guard var message = try OutboxMessage.fetchOne(db, key: id) else { continue }
                message.lastError = String(error.prefix(300))
                message.leaseUntil = nil
                if now.timeIntervalSince(message.createdAt) >= policy.giveUpAfter {
                    if message.kind == .erasureNotice {
                        try message.delete(db)
                        continue
                    }
                    message.status = .failed
                    message.finishedAt = now
                    try AuditLog.append(db, at: now, actor: .system, action: "mail.failed", subjectType: "outbox_message", subjectId: id, detail: "kind=\(message.kind.rawValue)")
                } else {
                    message.status = .pending
                    message.nextAttemptAt = now.addingTimeInterval(policy.retryDelay(afterAttempt: message.attempts))
                }
                try message.update(db)
            }
        }
    }

    /// The messages not yet delivered, oldest first, and counts of every message by kind and status.
    public func outboxOverview() async throws -> OutboxOverview {
        try await writer.read { db in
            let c = OutboxMessage.Columns.self
            let waiting = try OutboxMessage
                .filter([OutboxMessage.Status.pending, .sending, .failed].map(\.rawValue).contains(c.status))
                .order(c.id).limit(500).fetchAll(db)
            let counts = try Row.fetchAll(db, sql: "SELECT kind, status, count(*) AS n FROM outbox_message GROUP BY kind, status ORDER BY kind, status").compactMap { row -> (MailKind, OutboxMessage.Status, Int)? in
                guard let kind = MailKind(rawValue: row["kind"]), let status = OutboxMessage.Status(rawValue: row["status"]) else { return nil }
                return (kind, status, row["n"])
            }
            return OutboxOverview(waiting: waiting, counts: counts)
        }
    }

    /// HR tries a failed message again, from now, with a fresh 72 hours.
    public func retryMail(id: Int64, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var message = try OutboxMessage.fetchOne(db, key: id), message.status == .failed else { throw NotFound("failed message") }
            message.status = .pending
            message.attempts = 0
            message.createdAt = now
            message.nextAttemptAt = now
            message.finishedAt = nil
            try message.update(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "mail.retried", subjectType: "outbox_message", subjectId: id)
        }
    }

    /// HR gives up on a message that waits or failed: its address and text are forgotten.
    public func cancelMail(id: Int64, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var message = try OutboxMessage.fetchOne(db, key: id), [.pending, .failed].contains(message.status) else { throw NotFound("message") }
            message.status = .cancelled
            message.finishedAt = now
            (message.recipient, message.recipientName, message.subject, message.body) = (nil, nil, nil, nil)
            try message.update(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "mail.cancelled", subjectType: "outbox_message", subjectId: id)
        }
    }
}
