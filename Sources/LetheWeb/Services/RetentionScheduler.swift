import Foundation
import LetheCore
import Logging
import ServiceLifecycle

/// Runs the purge inside `lethe serve`: once at start, then at every interval, until shutdown.
/// Each run also finishes file removals a crash left, sweeps orphaned files, and removes what
/// has ended by time: sessions, old sign-in counters and one-time codes.
public struct RetentionScheduler: Service {
    let purger: Purger
    let database: AppDatabase
    let sessionPolicy: SessionPolicy
    let throttle: SignInThrottle
    let clock: WallClock
    let interval: Duration
    let logger: Logger

    /// Applications per transaction while the server also answers requests: a batch holds the
    /// one SQLite writer, and every request that writes (an application, even a page view's
    /// audit event) waits behind it. `lethe purge`, alone, keeps the purger's larger batches.
    static let servingBatchSize = 50
    /// And after each batch a rest of eight times its time: the purge takes at most a ninth of
    /// the writer's, the cores' and the disk's time (100,000 applications in about five minutes
    /// instead of one; retention is counted in days). With 4, a list page under load kept 71%
    /// of its rate during a purge; with 8, 87% (bench/README.md).
    static let servingRestFactor = 8.0

    /// A scheduler running `purger` and the housekeeping every `interval`.
    public init(purger: Purger, database: AppDatabase, sessionPolicy: SessionPolicy, throttle: SignInThrottle, clock: WallClock, interval: Duration, logger: Logger) {
        var purger = purger
        purger.batchSize = Self.servingBatchSize
        purger.restFactor = Self.servingRestFactor
        self.purger = purger
        self.database = database
        self.sessionPolicy = sessionPolicy
        self.throttle = throttle
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // On graceful shutdown the task is cancelled: the sleep throws and the loop ends.
        try? await cancelWhenGracefulShutdown {
            await runOnce()
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await runOnce()
            }
        }
    }

    /// One purge and sweep; failures are logged and retried at the next interval.
    func runOnce() async {
        do {
            let now = clock.now
            let summary = try await purger.purgeExpired(asOf: now, now: now)
            let orphans = try await purger.sweepOrphans(now: now)
            let reminders = try await purger.queueReminders(asOf: now, now: now)
            if reminders > 0 { logger.info("reminders queued", metadata: ["reminders": "\(reminders)"]) }
            if summary.purged > 0 || orphans > 0 {
                logger.info("retention purge", metadata: ["applications": "\(summary.purged)", "documents": "\(summary.documents)", "orphans": "\(orphans)"])
            }
            let sessions = try await database.removeExpiredSessions(at: now, policy: sessionPolicy)
            let counters = try await database.forgetOldSignInFailures(throttle, at: now)
            let codes = try await database.removeExpiredResetCodes(at: now)
            if sessions + counters + codes > 0 {
                logger.info("expired records removed", metadata: ["sessions": "\(sessions)", "sign_in_counters": "\(counters)", "reset_codes": "\(codes)"])
            }
        } catch {
            guard !Task.isCancelled else { return } // shutting down
            logger.error("retention purge failed; will retry", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
