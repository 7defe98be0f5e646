/// Percent-encoding over a text's UTF-8 bytes: the ASCII characters it keeps stay as they are,
/// every other byte (each of a non-ASCII character's) becomes `%XX`. The same result as
/// Foundation's `addingPercentEncoding` with an ASCII set, without its bridge to `NSString`,
/// which was a hundredth of every page for the language switch's link (bench/README.md).
struct PercentEncoding: Sendable {
    private let kept: [Bool]

    init(keeping characters: String) {
        var kept = [Bool](repeating: false, count: 256)
        for byte in characters.utf8 where byte < 0x80 { kept[Int(byte)] = true }
        self.kept = kept
    }

    func encode(_ text: String) -> String {
        guard text.utf8.contains(where: { !kept[Int($0)] }) else { return text }
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if kept[Int(byte)] {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(Self.hex[Int(byte >> 4)])
                encoded.append(Self.hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    private static let hex = Array("0123456789ABCDEF".utf8)
    private static let alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    /// RFC 3986's unreserved characters: what `filename*` keeps as they are.
    static let unreserved = PercentEncoding(keeping: alphanumerics + "-._~")
    /// What may stand unescaped in a query value: a URL's query characters but `&`, `=`, `+`, `#`, `?`.
    static let queryValue = PercentEncoding(keeping: alphanumerics + "!$'()*,-./:;@_~")
}
