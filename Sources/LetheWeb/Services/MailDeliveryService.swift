import Foundation
import LetheCore
import Logging
import ServiceLifecycle

/// Runs ``MailDelivery`` inside `lethe serve`: looks at the outbox every few seconds until
/// shutdown. Logs counts and error classes, never addresses.
public struct MailDeliveryService: Service {
    let delivery: MailDelivery
    let clock: WallClock
    let interval: Duration
    let logger: Logger

    /// A loop delivering through `delivery` every `interval`.
    public init(delivery: MailDelivery, clock: WallClock, interval: Duration, logger: Logger) {
        self.delivery = delivery
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await runOnce()
                try await Task.sleep(for: interval)
            }
        }
    }

    func runOnce() async {
        do {
            let pass = try await delivery.runOnce(now: clock.now)
            if pass.delivered > 0 { logger.info("mail delivered", metadata: ["messages": "\(pass.delivered)"]) }
            for reason in pass.failed { logger.warning("mail delivery failed; will retry", metadata: ["reason": "\(reason)"]) }
        } catch {
            guard !Task.isCancelled else { return }
            logger.error("mail delivery failed; will retry", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
