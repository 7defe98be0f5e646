import Hummingbird
import NIOCore

/// Receives the parts of a multipart form as they stream in.
protocol MultipartFormConsumer {
    /// A part begins; `fileName` is set for file inputs (possibly empty when none was chosen).
    mutating func beginPart(name: String, fileName: String?) throws
    /// Some bytes of the current part.
    mutating func partBody(_ bytes: ByteBuffer) throws
    /// The current part is complete.
    mutating func endPart() throws
}

/// Why a multipart body was refused before its content was looked at.
enum MultipartFormError: Error, Equatable {
    /// The body is not well-formed multipart; the reason is safe to show.
    case malformed(String)
    /// More bytes than any valid form needs.
    case bodyTooLarge
}

/// Reads `multipart/form-data` from a streamed request body with bounded memory: parts and
/// header sizes are bounded here, field and file sizes by the consumer. Nothing is collected.
struct MultipartFormReader {
    /// The most parts a form may have.
    var maxParts = 40
    /// The most bytes of a part's headers (and of the preamble before the first part).
    var maxPartHeaderBytes = 8 * 1024
    /// The most bytes the whole body may have.
    var maxBodyBytes: Int

    /// The boundary from a `Content-Type` header, or nil when it is not multipart/form-data with
    /// one the scanner accepts.
    static func boundary(fromContentType contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parameters = HeaderParameters(contentType)
        guard parameters.value.lowercased() == "multipart/form-data",
              let boundary = parameters["boundary"], MultipartScanner.accepts(boundary: boundary)
        else { return nil }
        return boundary
    }

    /// Streams `body` through the scanner into `consumer`.
    func read(_ body: RequestBody, boundary: String, into consumer: inout some MultipartFormConsumer) async throws {
        var scanner = MultipartScanner(boundary: boundary, maxHeaderBytes: maxPartHeaderBytes)
        var state = PartState()
        var totalBytes = 0
        for try await var chunk in body {
            totalBytes += chunk.readableBytes
            guard totalBytes <= maxBodyBytes else { throw MultipartFormError.bodyTooLarge }
            do {
                try scanner.scan(&chunk) { try handle($0, state: &state, consumer: &consumer) }
            } catch MultipartScanner.Failure.syntax {
                throw MultipartFormError.malformed(T("error.formUnreadable"))
            } catch MultipartScanner.Failure.headersTooLarge {
                throw MultipartFormError.malformed(T("error.multipart.headersTooLarge"))
            }
        }
        guard scanner.isComplete, state.completedParts > 0 else {
            throw MultipartFormError.malformed(T("error.multipart.incomplete"))
        }
    }

    private struct PartState {
        var headers: [(String, String)] = []
        var partOpen = false
        var completedParts = 0
    }

    private func handle(_ event: MultipartScanner.Event, state: inout PartState, consumer: inout some MultipartFormConsumer) throws {
        switch event {
        case .header(let name, let value):
            guard state.headers.count < 16 else { throw MultipartFormError.malformed(T("error.multipart.tooManyHeaders")) }
            state.headers.append((name, value))
        case .body(let bytes):
            if !state.partOpen { try open(&state, consumer: &consumer) }
            try consumer.partBody(bytes)
        case .partComplete:
            if !state.partOpen { try open(&state, consumer: &consumer) }
            try consumer.endPart()
            state = PartState(headers: [], partOpen: false, completedParts: state.completedParts + 1)
        }
    }

    private func open(_ state: inout PartState, consumer: inout some MultipartFormConsumer) throws {
        guard state.completedParts < maxParts else { throw MultipartFormError.malformed(T("error.multipart.tooManyParts")) }
        guard let disposition = state.headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1 else {
            throw MultipartFormError.malformed(T("error.multipart.noDisposition"))
        }
        let parameters = HeaderParameters(disposition)
        guard parameters.value.lowercased() == "form-data", let name = parameters["name"] else {
            throw MultipartFormError.malformed(T("error.multipart.noName"))
        }
        state.headers = []
        state.partOpen = true
        try consumer.beginPart(name: name, fileName: parameters.fileName)
    }
}

/// A header value with `;`-separated parameters, e.g. `form-data; name="cv"; filename="a.pdf"`.
/// Read byte by byte: every delimiter is ASCII and no UTF-8 sequence contains an ASCII byte, so
/// a name in any script passes through whole. (Walking it by `Character`, with Foundation's
/// trimming, was a twentieth of an application's CPU.)
struct HeaderParameters {
    /// The value before the first `;`.
    let value: String
    private var parameters: [String: String] = [:]

    init(_ header: String) {
        var header = header
        (value, parameters) = header.withUTF8 { Self.parse($0) }
    }

    subscript(key: String) -> String? { parameters[key] }

    /// `filename*` (RFC 5987, UTF-8) when present, else `filename`.
    var fileName: String? {
        if let extended = parameters["filename*"], let quote = extended.firstRange(of: "''") {
            let charset = extended[..<quote.lowerBound].lowercased()
            if charset == "utf-8", let decoded = String(extended[quote.upperBound...]).removingPercentEncoding {
                return decoded
            }
        }
        return parameters["filename"]
    }

    /// The value and the parameters (names lowercased, the first of a name kept). A quoted value
    /// may escape a byte with `\`; an unquoted one, like names, loses the spaces and tabs around it.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, [String: String]) {
        var at = bytes.startIndex
        // The bytes up to `stop` or the `;` that ends a parameter, whichever comes first.
        func take(upTo stop: UInt8 = .semicolon) -> Slice<UnsafeBufferPointer<UInt8>> {
            let start = at
            while at < bytes.endIndex, bytes[at] != stop, bytes[at] != .semicolon { at += 1 }
            return bytes[start..<at]
        }
        let value = text(take())
        var parameters: [String: String] = [:]
        while at < bytes.endIndex {
            at += 1 // the ';'
            let key = text(take(upTo: .equals)).lowercased()
            guard at < bytes.endIndex, bytes[at] == .equals else { continue }
            at += 1
            while at < bytes.endIndex, bytes[at].isSpaceOrTab { at += 1 }
            let parsed: String
            if at < bytes.endIndex, bytes[at] == .quote {
                at += 1
                var unescaped: [UInt8] = []
                while at < bytes.endIndex, bytes[at] != .quote {
                    if bytes[at] == .backslash, at + 1 < bytes.endIndex { at += 1 }
                    unescaped.append(bytes[at])
                    at += 1
                }
                parsed = String(decoding: unescaped, as: UTF8.self)
                _ = take()
            } else {
                parsed = text(take())
            }
            if !key.isEmpty, parameters[key] == nil { parameters[key] = parsed }
        }
        return (value, parameters)
    }

    /// The bytes as text, without the spaces and tabs around them.
    private static func text(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        var trimmed = bytes.drop { $0.isSpaceOrTab }
        while trimmed.last?.isSpaceOrTab == true { trimmed = trimmed.dropLast() }
        return String(decoding: trimmed, as: UTF8.self)
    }
}
