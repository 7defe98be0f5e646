import CMagic
import Foundation
import Synchronization

/// Decides, from a file's first bytes and its name, whether it is a CV type we accept.
///
/// The type comes from libmagic's reading of the content; the extension must name the same type,
/// so an executable or a web page renamed to `.pdf` is refused.
public final class ContentSniffer: Sendable {
    /// One accepted document type.
    public struct AllowedType: Sendable, Equatable {
        /// The media type served back on download.
        public let mediaType: String
        /// A short name for messages, e.g. `PDF`.
        public let label: String
        /// File extensions (lower case, no dot) that announce this type.
        public let extensions: Set<String>
    }

    /// The allow-list: PDF, DOCX, ODT, DOC, RTF and plain text.
    public static let allowedTypes: [AllowedType] = [
        .init(mediaType: "application/pdf", label: "PDF", extensions: ["pdf"]),
        .init(mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word (DOCX)", extensions: ["docx"]),
        .init(mediaType: "application/vnd.oasis.opendocument.text", label: "OpenDocument text (ODT)", extensions: ["odt"]),
        .init(mediaType: "application/msword", label: "Word 97-2003 (DOC)", extensions: ["doc"]),
        .init(mediaType: "text/rtf", label: "RTF", extensions: ["rtf"]),
        .init(mediaType: "text/plain", label: "plain text", extensions: ["txt", "text"]),
    ]

    /// libmagic names some accepted formats in more than one way.
    private static let aliases: [String: String] = [
        "application/rtf": "text/rtf",
        "application/x-ole-storage": "application/msword",
        "application/cdfv2": "application/msword",
    ]

    /// How many leading bytes are enough for libmagic to recognise every accepted type.
    public static let sniffLength = 64 * 1024

    /// The verdict on one file.
    public enum Verdict: Sendable, Equatable {
        case accepted(AllowedType)
        /// The file has no content.
        case empty
        /// The content is not on the allow-list (the detected media type is given).
        case notAllowed(detected: String)
        /// The content is allowed, but the name's extension announces something else.
        case extensionMismatch(detected: AllowedType)
    }

    // magic_t is not thread-safe: a handle serves one caller at a time; idle ones wait here.
    private let idle = Mutex<[MagicHandle]>([])

    /// Loads the system's magic database once to check that it is usable.
    public init() throws {
        let handle = try Self.openHandle()
        idle.withLock { $0.append(handle) }
    }

    deinit {
        idle.withLock { handles in handles.forEach { magic_close($0.full); magic_close($0.binaryOnly) } }
    }

    /// Judges `prefix` (the file's first bytes, up to ``sniffLength``) together with `fileName`.
    public func judge(prefix: some ContiguousBytes, fileName: String) -> Verdict {
        let detected = mediaType(of: prefix)
        if detected == "application/x-empty" || detected == "inode/x-empty" { return .empty }
        let normalized = Self.aliases[detected] ?? detected
        guard let allowed = Self.allowedTypes.first(where: { $0.mediaType == normalized }) else {
            return .notAllowed(detected: detected)
        }
        let ext = (fileName as NSString).pathExtension.lowercased()
        return allowed.extensions.contains(ext) ? .accepted(allowed) : .extensionMismatch(detected: allowed)
    }

    /// libmagic's media type for the given bytes.
    ///
    /// Two readings: first without libmagic's text-encoding analysis, which converts the whole
    /// prefix to code points five ways and was most of its time for a 64 KiB PDF; when that
    /// reading names one of the accepted binary formats it stands (binary magic is tried before
    /// any text test in both readings), otherwise the full reading decides, so text, HTML and
    /// everything refused are judged exactly as before.
    public func mediaType(of bytes: some ContiguousBytes) -> String {
        let handle = idle.withLock { $0.popLast() } ?? (try? Self.openHandle())
        guard let handle else { return "application/octet-stream" }
        defer { idle.withLock { $0.append(handle) } }
        return bytes.withUnsafeBytes { raw in
            let quick = Self.read(handle.binaryOnly, raw)
            if let quick, Self.binaryMediaTypes.contains(Self.aliases[quick] ?? quick) { return quick }
            return Self.read(handle.full, raw) ?? "application/octet-stream"
        }
    }

    /// The accepted formats that libmagic recognises by binary magic alone: all but the `text/` ones.
    private static let binaryMediaTypes = Set(allowedTypes.map(\.mediaType).filter { !$0.hasPrefix("text/") })

    private static func read(_ magic: OpaquePointer, _ raw: UnsafeRawBufferPointer) -> String? {
        magic_buffer(magic, raw.baseAddress, raw.count).map { String(cString: $0).lowercased() }
    }

    /// Two libmagic handles (with and without the text-encoding analysis); used by one caller
    /// at a time, handed between them under the mutex.
    private struct MagicHandle: @unchecked Sendable {
        let full: OpaquePointer
        let binaryOnly: OpaquePointer
    }

    private static func openHandle() throws -> MagicHandle {
        let full = try open(MAGIC_MIME_TYPE | MAGIC_ERROR)
        do {
            return MagicHandle(full: full, binaryOnly: try open(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_ENCODING))
        } catch {
            magic_close(full)
            throw error
        }
    }

    private static func open(_ flags: Int32) throws -> OpaquePointer {
        guard let handle = magic_open(flags) else {
            throw ContentSnifferError.unavailable("magic_open failed")
        }
        guard magic_load(handle, nil) == 0 else {
            let message = magic_error(handle).map { String(cString: $0) } ?? "unknown error"
            magic_close(handle)
            throw ContentSnifferError.unavailable("cannot load the magic database: \(message)")
        }
        return handle
    }
}

/// libmagic could not be used.
public enum ContentSnifferError: Error, CustomStringConvertible {
    case unavailable(String)

    public var description: String {
        switch self { case .unavailable(let why): "libmagic: \(why)" }
    }
}
