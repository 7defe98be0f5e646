import Crypto
import Foundation

/// The secret in an applicant's private link `/me/<token>`: 256 random bits, base64url.
///
/// Only its SHA-256 is stored, so a copy of the database does not open anyone's link.
public enum ApplicantToken {
    /// A new token and the hash to store.
    public static func generate() -> (token: String, hash: Data) {
        let token = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64URLEncoded
        return (token, hash(ofWellFormed: token))
    }

    /// The stored hash for a token from a URL, or nil when it cannot be a token.
    public static func hash(of token: String) -> Data? {
        guard token.utf8.count == 43, token.utf8.allSatisfy(isBase64URL) else { return nil }
        return hash(ofWellFormed: token)
    }

    private static func hash(ofWellFormed token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

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
}
