@preconcurrency import Crypto
import Foundation
import GRDB

/// The rules that slow down password guessing without locking out the people who sign in.
///
/// Failures are counted per (client address, account): after `freeFailures` wrong passwords in
/// a row, each further one pauses that pair for `firstPause`, doubling up to `longestPause`; a
/// successful sign-in clears the pair. Someone guessing at one account from elsewhere therefore
/// never locks its owner out, and colleagues behind one office address do not lock out each
/// other. Each address also has a cap, `addressLimit` failures per `addressWindow`, high enough
/// for an office behind NAT and low enough to stop spraying over many accounts.
///
/// Counters live in the database, keyed by an HMAC of the address and account (neither is
/// stored), so a restart does not clear them and several instances share them. Rows are
/// removed only once they are old and hold no live pause.
public struct SignInThrottle: Sendable {
    public var freeFailures = 5
    public var firstPause: TimeInterval = 30
    public var longestPause: TimeInterval = 15 * 60
    public var addressLimit = 100
    public var addressWindow: TimeInterval = 15 * 60
    /// A counter with no failure for this long, and no live pause, is forgotten.
    public var forgetAfter: TimeInterval = 24 * 60 * 60

    private let key: SymmetricKey

    /// The throttle, keyed with a server secret.
    public init(key: SymmetricKey) { self.key = key }

    /// What a counter is about: one form (sign-in or password reset), one address, one account.
    public struct Subject: Sendable {
        public var purpose: String
        public var address: String
        public var account: String

        /// Names a subject; the account is compared case-insensitively.
        public init(purpose: String, address: String, account: String) {
            self.purpose = purpose
            self.address = address
            self.account = account.lowercased()
        }
    }

    func pairKey(_ subject: Subject) -> Data {
        mac("pair\u{0}\(subject.purpose)\u{0}\(subject.address)\u{0}\(subject.account)")
    }

    func addressKey(_ subject: Subject) -> Data {
        mac("address\u{0}\(subject.address)")
    }

    private func mac(_ text: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }

    /// The pause after the n-th failure in a row, or nil while failures are still free.
    func pause(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= freeFailures else { return nil }
        let doublings = min(failures - freeFailures, 20)
        return min(firstPause * pow(2, Double(doublings)), longestPause)
    }
}

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
