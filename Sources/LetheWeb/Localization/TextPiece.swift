/// A part of a catalogue text: as written, or a `{name}` to fill in. A catalogue cuts its texts
/// into pieces once, when it is read, instead of searching each for braces every time it is
/// filled in (a list page fills a hundred).
enum TextPiece: Sendable {
    case literal(String)
    case placeholder(String)

    /// A text cut at its placeholders (`{` to the next `}`), or nil when it has none. Braces are
    /// ASCII, so a byte's index is a character's.
    static func pieces(_ text: String) -> [TextPiece]? {
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
}
