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

// Byte-wise rather than through `replacingOccurrences` and `String(format:)`: every request
// issues or checks a token, and those Foundation paths were 4% of an application's CPU.
extension Data {
    /// Base64url without padding (RFC 4648 §5).
    public var base64URLEncoded: String {
        var bytes = Array(base64EncodedData())
        while bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        for i in bytes.indices {
            if bytes[i] == UInt8(ascii: "+") { bytes[i] = UInt8(ascii: "-") } else if bytes[i] == UInt8(ascii: "/") { bytes[i] = UInt8(ascii: "_") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes base64url without padding; nil when malformed.
    public init?(base64URLEncoded text: String) {
        var bytes = Array(text.utf8)
        for i in bytes.indices {
            if bytes[i] == UInt8(ascii: "-") { bytes[i] = UInt8(ascii: "+") } else if bytes[i] == UInt8(ascii: "_") { bytes[i] = UInt8(ascii: "/") }
        }
        while bytes.count % 4 != 0 { bytes.append(UInt8(ascii: "=")) }
        self.init(base64Encoded: Data(bytes))
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
