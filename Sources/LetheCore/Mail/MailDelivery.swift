import Foundation

/// Takes due messages from the outbox and hands each to the transport, one at a time.
public struct MailDelivery: Sendable {
    public let database: AppDatabase
    public let transport: any MailTransport
    public let composer: MailComposer
    public var policy = OutboxPolicy()

    /// Delivery through `transport`, composing with `composer`.
    public init(database: AppDatabase, transport: any MailTransport, composer: MailComposer) {
        self.database = database
        self.transport = transport
        self.composer = composer
    }

    /// The outcome of one pass.
    public struct Pass: Sendable, Equatable {
        public var delivered = 0
        public var failed: [String] = []
    }

    /// Delivers everything due at `now`, in batches of `batch`: each batch is claimed in one
    /// transaction, handed to the transport one message at a time, and its outcomes recorded in
    /// one transaction; each failure waits for a later try.
    public func runOnce(now: Date, batch: Int = 50) async throws -> Pass {
        var pass = Pass()
        while true {
            let claimed = try await database.claimDueMail(limit: batch, policy: policy, at: now)
            var delivered: [Int64] = [], failed: [(id: Int64, error: String)] = []
            var sending: [(id: Int64, mail: ComposedMail)] = []
            for message in claimed {
                guard let id = message.id else { continue }
                guard let recipient = message.recipient.flatMap({ MailAddress($0, name: message.recipientName) }) else {
                    failed.append((id, "the stored address cannot be used"))
                    continue
                }
                sending.append((id, composer.compose(
                    messageId: "<\(message.messageId).lethe@\(composer.from.domain)>", to: recipient,
                    subject: message.subject ?? "", body: message.body ?? "", automatic: message.automatic, date: now
                )))
            }
            for (item, outcome) in zip(sending, await transport.deliver(batch: sending.map(\.mail))) {
                if let outcome { failed.append((item.id, outcome.reason)) } else { delivered.append(item.id) }
            }
            try await database.recordMailOutcomes(delivered: delivered, failed: failed, policy: policy, at: now)
            pass.delivered += delivered.count
            pass.failed += failed.map(\.error)
            if claimed.count < batch || Task.isCancelled { break }
        }
        // A delivered message keeps no address and no body (an erasure notice keeps no row): move
        // the WAL into the database file, where secure_delete has overwritten them, so that no
        // private link or text lingers in either.
        try await database.checkpoint(after: pass.delivered > 0)
        return pass
    }
}
