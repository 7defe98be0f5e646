import Foundation
import Hummingbird
import LetheCore
import NIOCore

/// Why an application upload was refused while it streamed in.
enum UploadError: Error {
    /// The file's content is not an accepted type, or does not match its extension (415).
    case unsupportedType(Phrase)
    /// The file is larger than allowed (413).
    case fileTooLarge(Int)
    /// The CSRF token arrived before the file and is wrong (403).
    case forbidden
    /// The form is malformed in a way the applicant could not have caused with the page (400).
    case malformed(String)
    /// The whole upload took longer than its deadline (408).
    case timedOut
}

/// Collects an application's multipart form: text fields into bounded buffers, the CV sniffed
/// and then encrypted to the document store as it streams.
struct ApplicationUpload: MultipartFormConsumer {
    let store: DocumentStore
    let sniffer: ContentSniffer
    let maxFileBytes: Int
    /// Checks a CSRF token as soon as it arrives, so a forged request stores no file.
    let isValidCSRFToken: @Sendable (String) -> Bool

    /// The text fields received.
    private(set) var form = ApplicationForm()
    /// A problem with the file that the applicant can fix on the form (422).
    private(set) var fileError: Phrase?
    /// The accepted file, once its part is complete.
    private(set) var file: (writer: EncryptedDocumentWriter, type: ContentSniffer.AllowedType, name: String)?

    private var seen: Set<String> = []
    private var fileBytes = 0
    // Held apart from `current` so that a refusal at any point can remove what was written.
    private var openWriter: EncryptedDocumentWriter?
    private var current = Current.none

    private enum Current {
        case none
        case ignored
        case text(name: String, bytes: [UInt8], limit: Int, overlong: Bool)
        case file(name: String, prefix: [UInt8], writer: EncryptedDocumentWriter?, type: ContentSniffer.AllowedType?)
    }

    init(store: DocumentStore, sniffer: ContentSniffer, maxFileBytes: Int, isValidCSRFToken: @escaping @Sendable (String) -> Bool) {
        self.store = store
        self.sniffer = sniffer
        self.maxFileBytes = maxFileBytes
        self.isValidCSRFToken = isValidCSRFToken
    }

    mutating func beginPart(name: String, fileName: String?) throws {
        if name == "cv" {
            guard !seen.contains(name) else { throw UploadError.malformed(T("apply.error.twoFiles")) }
            seen.insert(name)
            var prefix: [UInt8] = []
            prefix.reserveCapacity(ContentSniffer.sniffLength)
            current = .file(name: Self.safeFileName(fileName ?? ""), prefix: prefix, writer: nil, type: nil)
        } else if let limit = ApplicationForm.byteLimit(of: name), fileName == nil {
            guard !seen.contains(name) else { throw UploadError.malformed(T("apply.error.fieldTwice", ["field": name])) }
            seen.insert(name)
            current = .text(name: name, bytes: [], limit: limit, overlong: false)
        } else {
            current = .ignored
        }
    }

    mutating func partBody(_ bytes: ByteBuffer) throws {
        switch current {
        case .none, .ignored:
            break
        case .text(let name, var buffer, let limit, let overlong):
            current = .none // keep the array uniquely referenced while appending
            if overlong || buffer.count + bytes.readableBytes > limit {
                current = .text(name: name, bytes: [], limit: limit, overlong: true)
            } else {
                buffer.append(contentsOf: bytes.readableBytesView)
                current = .text(name: name, bytes: buffer, limit: limit, overlong: false)
            }
        case .file(let name, var prefix, let writer, let type):
            current = .none
            fileBytes += bytes.readableBytes
            guard fileBytes <= maxFileBytes else { throw UploadError.fileTooLarge(maxFileBytes) }
            if let writer {
                try writer.write(bytes.readableBytesView)
                current = .file(name: name, prefix: [], writer: writer, type: type)
            } else {
                prefix.append(contentsOf: bytes.readableBytesView)
                current = .file(name: name, prefix: prefix, writer: nil, type: nil)
                if prefix.count >= ContentSniffer.sniffLength {
                    try startWriting(name: name, prefix: prefix)
                }
            }
        }
    }

    mutating func endPart() throws {
        switch current {
        case .none, .ignored:
            break
        case .text(let name, let bytes, _, let overlong):
            if overlong {
                form.overlong.insert(name)
            } else {
                let value = String(decoding: bytes, as: UTF8.self)
                form.values[name] = value
                if name == CSRFProtection.fieldName, !isValidCSRFToken(value) { throw UploadError.forbidden }
            }
        case .file(let name, let prefix, let writer, _):
            if writer == nil {
                if prefix.isEmpty {
                    fileError = name.isEmpty ? "apply.error.cvMissing" : "apply.error.cvEmpty"
                } else {
                    try startWriting(name: name, prefix: prefix)
                }
            }
            if case .file(_, _, let writer?, let type?) = current {
                file = (writer, type, name)
            }
        }
        current = .none
    }

    /// Removes whatever was written for a refused application.
    func discard() {
        openWriter?.discard()
    }

    private mutating func startWriting(name: String, prefix: [UInt8]) throws {
        switch sniffer.judge(prefix: prefix.prefix(ContentSniffer.sniffLength), fileName: name) {
        case .accepted(let type):
            let writer = try store.makeWriter()
            openWriter = writer
            current = .file(name: name, prefix: [], writer: writer, type: type)
            try writer.write(prefix)
        case .empty:
            fileError = "apply.error.cvEmpty"
            current = .ignored
        case .notAllowed:
            throw UploadError.unsupportedType(Phrase("apply.error.cvType", ["types": Self.acceptedList]))
        case .extensionMismatch(let detected):
            throw UploadError.unsupportedType(Phrase("apply.error.cvMismatch", ["detected": Formatting.typeLabel(detected), "types": Self.acceptedList]))
        }
    }

    static var acceptedList: String {
        let labels = ContentSniffer.allowedTypes.map(Formatting.typeLabel)
        return T("list.or", ["items": labels.dropLast().joined(separator: ", "), "last": labels.last!])
    }

    /// The last path component of a browser-sent file name, without control, bidi-override or
    /// path characters, at most 200 characters.
    static func safeFileName(_ raw: String) -> String {
        let base = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let forbidden: (Unicode.Scalar) -> Bool = { scalar in
            scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
                || scalar == "\"" || scalar == ":"
        }
        var cleaned = String(String.UnicodeScalarView(base.unicodeScalars.filter { !forbidden($0) }))
            .trimmingCharacters(in: .whitespaces)
        while cleaned.hasPrefix(".") { cleaned.removeFirst() }
        return String(cleaned.suffix(200))
    }
}
