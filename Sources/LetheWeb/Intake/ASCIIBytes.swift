/// The ASCII bytes a multipart body and its header parameters are written with, named once for
/// `MultipartScanner` and `HeaderParameters`.
extension UInt8 {
    static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), colon = UInt8(ascii: ":"), hyphen = UInt8(ascii: "-"),
               space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), semicolon = UInt8(ascii: ";"), equals = UInt8(ascii: "="),
               quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// HTTP's optional whitespace around a header's value and its parameters: a space or a tab.
    var isSpaceOrTab: Bool { self == .space || self == .tab }
}
