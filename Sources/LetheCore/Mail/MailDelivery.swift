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

    /// Delivers what is due at `now`; each failure is recorded for a later try.
    public func runOnce(now: Date, limit: Int = 20) async throws -> Pass {
        var pass = Pass()
        for message in try await database.claimDueMail(limit: limit, policy: policy, at: now) {
            guard let id = message.id, let recipient = message.recipient.flatMap({ MailAddress($0, name: message.recipientName) }) else { continue }
            let composed = composer.compose(
                messageId: "<\(message.messageId).lethe@\(composer.from.domain)>", to: recipient,
                subject: message.subject ?? "", body: message.body ?? "", automatic: message.automatic, date: now
            )
            do {
                try await transport.deliver(composed)
                try await database.markMailDelivered(id: id, at: now)
                pass.delivered += 1
            } catch {
                let reason = (error as? MailTransportError)?.reason ?? MailTransportError("\(type(of: error))").reason
                try await database.markMailAttemptFailed(id: id, error: reason, policy: policy, at: now)
                pass.failed.append(reason)
            }
        }
        // A delivered message keeps no address and no body (an erasure notice keeps no row): move
        // the WAL into the database file, where secure_delete has overwritten them, so that no
        // private link or text lingers in either.
        if pass.delivered > 0 { try await database.checkpoint() }
        return pass
    }
}
