import Foundation
import GRDB

extension AppDatabase {
    /// Until when this subject must wait before trying again, or nil when it may try now.
    public func signInPausedUntil(_ throttle: SignInThrottle, _ subject: SignInThrottle.Subject, at now: Date) async throws -> Date? {
        let keys = [throttle.pairKey(subject), throttle.addressKey(subject)]
        return try await writer.read { db in
            try Date.fetchAll(db, sql: "SELECT locked_until FROM sign_in_throttle WHERE key IN (?, ?) AND locked_until > ?", arguments: [keys[0], keys[1], now]).max()
        }
    }

    /// Counts a failure for the pair and the address, pausing them when the rules say so.
    public func recordSignInFailure(_ throttle: SignInThrottle, _ subject: SignInThrottle.Subject, at now: Date) async throws {
        let pair = throttle.pairKey(subject), address = throttle.addressKey(subject)
        try await writer.write { db in
            let failures = (try Int.fetchOne(db, sql: "SELECT failures FROM sign_in_throttle WHERE key = ?", arguments: [pair]) ?? 0) + 1
            let pairPause = throttle.pause(afterFailures: failures).map { now.addingTimeInterval($0) }
            try db.execute(sql: """
                INSERT INTO sign_in_throttle (key, failures, window_started_at, last_failure_at, locked_until) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until
                """, arguments: [pair, failures, now, now, pairPause])

            var (count, windowStart, pausedUntil) = (0, now, Date?.none)
            if let row = try Row.fetchOne(db, sql: "SELECT failures, window_started_at, locked_until FROM sign_in_throttle WHERE key = ?", arguments: [address]) {
                let started: Date = row["window_started_at"]
                pausedUntil = row["locked_until"]
                if now.timeIntervalSince(started) < throttle.addressWindow {
                    (count, windowStart) = (row["failures"], started)
                }
            }
            count += 1
            if count >= throttle.addressLimit {
                pausedUntil = max(pausedUntil ?? .distantPast, windowStart.addingTimeInterval(throttle.addressWindow))
            }
            try db.execute(sql: """
                INSERT INTO sign_in_throttle (key, failures, window_started_at, last_failure_at, locked_until) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_started_at = excluded.window_started_at,
                    last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until
                """, arguments: [address, count, windowStart, now, pausedUntil])
        }
    }

    /// A successful sign-in clears the pair's failures (not the address's).
    public func recordSignInSuccess(_ throttle: SignInThrottle, _ subject: SignInThrottle.Subject) async throws {
        let pair = throttle.pairKey(subject)
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM sign_in_throttle WHERE key = ?", arguments: [pair])
        }
    }

    /// Forgets counters with no recent failure and no live pause; returns how many.
    @discardableResult
    public func forgetOldSignInFailures(_ throttle: SignInThrottle, at now: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM sign_in_throttle WHERE last_failure_at <= ? AND (locked_until IS NULL OR locked_until <= ?)",
                           arguments: [now.addingTimeInterval(-throttle.forgetAfter), now])
            return db.changesCount
        }
    }
}
