import Crypto
import Foundation

/// A secret that only its holder knows: 256 random bits, written as 43 base64url characters.
///
/// The one kind of secret Lethe hands out: private links (`/me/<token>`), session cookies and
/// the CSRF cookie. Where a secret is stored, only its SHA-256 is, so a copy of the database
/// opens no link and no session.
public struct SecretToken: Sendable, Equatable {
    /// The text given to the holder (a URL path segment or a cookie value).
    public let text: String

    /// A fresh random token.
    public static func generate() -> SecretToken {
        SecretToken(text: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64URLEncoded)
    }

    /// A token received from a client, or nil when it cannot be one (wrong length or alphabet).
    public init?(_ text: String) {
        guard text.utf8.count == 43, text.utf8.allSatisfy(Self.isBase64URL) else { return nil }
        self.text = text
    }

    private init(text: String) { self.text = text }

    /// What is stored in place of the token.
    public var hash: Data { Data(SHA256.hash(data: Data(text.utf8))) }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x5F
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5).
    public var base64URLEncoded: String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url without padding; nil when malformed.
    public init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        self.init(base64Encoded: base64)
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal.
    public var hexString: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
