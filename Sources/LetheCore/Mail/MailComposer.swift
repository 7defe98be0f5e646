import Foundation

/// A message as it leaves: the RFC 5322 text handed to the transport.
public struct ComposedMail: Sendable {
    public let messageId: String
    public let recipient: String
    /// CRLF line endings, 7-bit ASCII: every header and the body are encoded.
    public let text: String
}

/// Writes RFC 5322 messages: UTF-8 text in quoted-printable, RFC 2047 encoded subjects and
/// display names (Danish letters survive), a stable Message-ID, and no header a value could
/// inject (every value is encoded or refused when it holds a line break).
public struct MailComposer: Sendable {
    public let from: MailAddress
    public let replyTo: MailAddress?

    /// A composer sending from `from`.
    public init(from: MailAddress, replyTo: MailAddress? = nil) {
        self.from = from
        self.replyTo = replyTo
    }

    /// The message of an outbox row.
    public func compose(messageId: String, to: MailAddress, subject: String, body: String, automatic: Bool, date: Date) -> ComposedMail {
        var headers = [
            "From: " + Self.mailbox(from),
            "To: " + Self.mailbox(to),
        ]
        if let replyTo { headers.append("Reply-To: " + Self.mailbox(replyTo)) }
        headers += [
            "Subject: " + Self.encodedWords(subject),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: " + messageId,
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ]
        if automatic { headers.append("Auto-Submitted: auto-generated") }
        let text = headers.joined(separator: "\r\n") + "\r\n\r\n" + Self.quotedPrintable(body) + "\r\n"
        return ComposedMail(messageId: messageId, recipient: to.address, text: text)
    }

    /// `"=?utf-8?q?…?=" <address>`, or the bare address.
    static func mailbox(_ address: MailAddress) -> String {
        guard let name = address.name, !name.isEmpty else { return "<\(address.address)>" }
        return Self.encodedWords(name) + " <\(address.address)>"
    }

    /// RFC 2047 encoded words (Q encoding, UTF-8), each at most 75 characters; plain printable
    /// ASCII without specials stays as it is.
    static func encodedWords(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F && !"=?_\"<>()@,;:\\[]".unicodeScalars.contains($0) }
        if plain && text.count <= 70 { return text }
        var words: [String] = []
        var current = ""
        for character in text {
            var encoded = ""
            for byte in String(character).utf8 {
                switch byte {
                case 0x20: encoded += "_"
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x21, 0x2A, 0x2B, 0x2D, 0x2F: encoded += String(UnicodeScalar(byte))
                default: encoded += String(format: "=%02X", byte)
                }
            }
            // 45 characters of text, 57 with its markers: the first word shares its line with
            // the header name, and every line stays within 78.
            if current.count + encoded.count > 45 {
                words.append(current)
                current = ""
            }
            current += encoded
        }
        words.append(current)
        return words.map { "=?utf-8?q?\($0)?=" }.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045) of UTF-8 text with CRLF line endings and soft breaks at 76.
    static func quotedPrintable(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").components(separatedBy: "\n")
        return lines.map { line -> String in
            var out = "", width = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != 61) || (byte == 32 && !isLast) || (byte == 9 && !isLast)
                let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                if width + piece.count > 75 {
                    out += "=\r\n"
                    width = 0
                }
                out += piece
                width += piece.count
            }
            return out
        }.joined(separator: "\r\n")
    }

    /// `Wed, 25 Nov 2026 14:30:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
