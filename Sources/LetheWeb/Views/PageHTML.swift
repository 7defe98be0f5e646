import Mustache

/// How every page escapes what it shows: the same five characters as Mustache's own HTML
/// escaping (`<`, `>`, `&`, `"`, `'`), over the text's bytes instead of its characters, and
/// without copying a text that has none of them (almost every value of a page). A template
/// asks for it with `{{% CONTENT_TYPE: LETHE_HTML}}` as its first line (the layout, and each
/// partial); a template without that line is escaped by Mustache's own HTML escaping, which is
/// as safe and slower (bench/README.md).
struct PageHTML: MustacheContentType {
    static let name = "LETHE_HTML"

    /// Makes the content type known to the template parser; before any template is read.
    static func register() {
        MustacheContentTypes.register(PageHTML(), named: name)
    }

    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else {
            return text
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): escaped.append(contentsOf: "&#39;".utf8)
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}

// Texts and numbers render as themselves. Without this, Mustache tries every `{{name}}`'s
// value as a template, a renderable, a lambda and an optional before `String(describing:)`
// (four failed dynamic casts each, and the casts of `String(describing:)`), hundreds of times
// on a list page (bench/README.md, fourth pass).
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { false }
}

extension Int64: @retroactive MustacheCustomRenderable {
    public var renderText: String { String(self) }
    public var isNull: Bool { false }
}

extension Int: @retroactive MustacheCustomRenderable {
    public var renderText: String { String(self) }
    public var isNull: Bool { false }
}
