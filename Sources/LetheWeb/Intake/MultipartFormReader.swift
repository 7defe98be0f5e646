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
struct HeaderParameters {
    /// The value before the first `;`.
    let value: String
    private var parameters: [String: String] = [:]

    init(_ header: String) {
        var scanner = Substring(header)
        value = String(Self.take(&scanner, upTo: ";")).trimmingCharacters(in: .whitespaces)
        while !scanner.isEmpty {
            scanner = scanner.dropFirst() // the ';'
            let key = Self.take(&scanner, upTo: "=").trimmingCharacters(in: .whitespaces).lowercased()
            guard scanner.first == "=" else {
                _ = Self.take(&scanner, upTo: ";")
                continue
            }
            scanner = scanner.dropFirst()
            scanner = scanner.drop(while: { $0 == " " || $0 == "\t" })
            var parsed = ""
            if scanner.first == "\"" {
                scanner = scanner.dropFirst()
                while let c = scanner.first, c != "\"" {
                    scanner = scanner.dropFirst()
                    if c == "\\", let escaped = scanner.first {
                        parsed.append(escaped)
                        scanner = scanner.dropFirst()
                    } else {
                        parsed.append(c)
                    }
                }
                scanner = scanner.dropFirst()
                _ = Self.take(&scanner, upTo: ";")
            } else {
                parsed = Self.take(&scanner, upTo: ";").trimmingCharacters(in: .whitespaces)
            }
            if !key.isEmpty, parameters[key] == nil { parameters[key] = parsed }
        }
    }

    subscript(key: String) -> String? { parameters[key] }

    /// `filename*` (RFC 5987, UTF-8) when present, else `filename`.
    var fileName: String? {
        if let extended = parameters["filename*"], let quote = extended.range(of: "''") {
            let charset = extended[..<quote.lowerBound].lowercased()
            if charset == "utf-8", let decoded = String(extended[quote.upperBound...]).removingPercentEncoding {
                return decoded
            }
        }
        return parameters["filename"]
    }

    private static func take(_ scanner: inout Substring, upTo delimiter: Character) -> Substring {
        let end = scanner.firstIndex(of: delimiter) ?? scanner.endIndex
        let taken = scanner[..<end]
        scanner = scanner[end...]
        return taken
    }
}
