import Foundation
import Synchronization

/// Counts failed sign-ins per account and per address, and refuses further tries for a while
/// once either has failed too often in a row.
final class LoginThrottle: Sendable {
    /// Failures in a row for one account before it is locked.
    let maxAccountFailures: Int
    /// Failures from one address before it is locked.
    let maxAddressFailures: Int
    /// How long a lock lasts.
    let lockout: TimeInterval

    private struct Record {
        var failures = 0
        var lockedUntil: Date?
    }

    private let records = Mutex<[String: Record]>([:])

    init(maxAccountFailures: Int = 5, maxAddressFailures: Int = 20, lockout: TimeInterval = 15 * 60) {
        self.maxAccountFailures = maxAccountFailures
        self.maxAddressFailures = maxAddressFailures
        self.lockout = lockout
    }

    /// The time until which sign-in is refused for this account or address, if it is.
    func lockedUntil(account: String, address: String, at now: Date) -> Date? {
        records.withLock { records in
            [Self.accountKey(account), Self.addressKey(address)].compactMap { key -> Date? in
                guard let until = records[key]?.lockedUntil else { return nil }
                if until <= now {
                    records[key] = nil
                    return nil
                }
                return until
            }.max()
        }
    }

    /// Records a failed sign-in.
    func recordFailure(account: String, address: String, at now: Date) {
        records.withLock { records in
            for (key, limit) in [(Self.accountKey(account), maxAccountFailures), (Self.addressKey(address), maxAddressFailures)] {
                var record = records[key] ?? Record()
                record.failures += 1
                if record.failures >= limit {
                    record.lockedUntil = now.addingTimeInterval(lockout)
                    record.failures = 0
                }
                records[key] = record
            }
            // Bounded memory: forget the oldest picture when an attacker sprays names.
            if records.count > 100_000 { records.removeAll() }
        }
    }

    /// Forgets an account's failures after a successful sign-in.
    func recordSuccess(account: String) {
        _ = records.withLock { $0.removeValue(forKey: Self.accountKey(account)) }
    }

    private static func accountKey(_ account: String) -> String { "account:" + account.lowercased() }
    private static func addressKey(_ address: String) -> String { "address:" + address }
}
