/// A part of a text with placeholders: as written, or a `{name}` to fill in. The one way Lethe
/// fills in a text, for the catalogues and for HR's message templates alike. A catalogue cuts its
/// texts into pieces once, when it is read, instead of searching each for braces every time it
/// is filled in (a list page fills a hundred).
public enum TextPiece: Sendable {
    case literal(String)
    case placeholder(String)

    /// A text cut at its placeholders (`{` to the next `}`), or nil when it has none. Braces are
    /// ASCII, so a byte's index is a character's.
    public static func pieces(_ text: String) -> [TextPiece]? {
        let bytes = text.utf8
        var pieces: [TextPiece] = []
        var copied = bytes.startIndex
        while let open = bytes[copied...].firstIndex(of: UInt8(ascii: "{")),
              let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) {
            if open > copied { pieces.append(.literal(String(text[copied..<open]))) }
            pieces.append(.placeholder(String(text[bytes.index(after: open)..<close])))
            copied = bytes.index(after: close)
        }
        guard !pieces.isEmpty else { return nil }
        if copied < bytes.endIndex { pieces.append(.literal(String(text[copied...]))) }
        return pieces
    }

    /// The pieces joined, each `{name}` with a value replaced by it and the rest kept as written.
    /// The values themselves are never searched for placeholders: an applicant named
    /// "{vacancy}" is addressed as that. The values are pairs, not a dictionary: one to three,
    /// written as a literal at each call, are found sooner than a dictionary is built and hashed.
    /// Inlinable: the localizer in LetheWeb fills a hundred texts a page, specialized for its pairs.
    @inlinable
    public static func fill<Values: Collection<(key: String, value: String)>>(_ pieces: [TextPiece], _ values: Values) -> String {
        var text = ""
        for piece in pieces {
            switch piece {
            case .literal(let written):
                text += written
            case .placeholder(let name):
                if let value = values.first(where: { $0.key == name })?.value {
                    text += value
                } else {
                    text += "{" + name + "}"
                }
            }
        }
        return text
    }

    /// A text with its placeholders filled in from `values`, cut and joined in one go (for a text
    /// filled once, such as a message template).
    public static func fill<Values: Collection<(key: String, value: String)>>(_ text: String, _ values: Values) -> String {
        guard let pieces = pieces(text) else { return text }
        return fill(pieces, values)
    }
}
