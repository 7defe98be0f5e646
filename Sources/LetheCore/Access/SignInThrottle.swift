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
        mac("address\u{0}\(subject.purpose)\u{0}\(subject.address)")
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

/// The throttle of lost-link requests (`POST /me`): each request counts, per e-mail address
/// (from any client) and per client. Three in a row are free, then the address pauses for 15
/// minutes, doubling up to a day; a client may ask for at most 20 addresses an hour.
public enum LostLinkThrottle {
    /// The rules, keyed with a server secret.
    public static func throttle(key: SymmetricKey) -> SignInThrottle {
        var throttle = SignInThrottle(key: key)
        throttle.freeFailures = 3
        throttle.firstPause = 15 * 60
        throttle.longestPause = 24 * 60 * 60
        throttle.addressLimit = 20
        throttle.addressWindow = 60 * 60
        return throttle
    }

    /// What one request counts against: the address from any client, and the client.
    public static func subjects(email: String, client: String) -> [SignInThrottle.Subject] {
        [
            SignInThrottle.Subject(purpose: "lost-link-mailbox", address: "mailbox " + email.lowercased(), account: email),
            SignInThrottle.Subject(purpose: "lost-link", address: client, account: email),
        ]
    }
}
