import Foundation
import HTTPTypes
import Hummingbird
import LetheCore

/// A stored document sent back decrypted, as a stream: as a download that a browser never
/// renders, or (a PDF only) for the panel's viewer frame.
enum DocumentResponse {
    enum Disposition: String {
        /// Saved, never rendered by the browser.
        case attachment
        /// Rendered in a frame of a Lethe page, and only there: the response is its own CSP
        /// sandbox (no scripts, forms or same-origin access of ours), may be framed only by
        /// Lethe's own pages, and loads nothing else.
        case inline
    }

    /// The only type shown in the page: the browser's own PDF viewer renders it; every other
    /// type is a download.
    static let viewableType = "application/pdf"

    /// The headers of a download without reading the file: the answer to HEAD.
    static func head(_ document: Document, _ disposition: Disposition = .attachment) -> Response {
        Response(status: .ok, headers: headers(document, disposition))
    }

    static func make(_ document: Document, _ disposition: Disposition = .attachment, store: DocumentStore) throws -> Response {
        let reader = try store.openReader(storageName: document.storageName, key: .init(data: document.encryptionKey))
        let body = ResponseBody { writer in
            while let chunk = try reader.next() {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers(document, disposition), body: body)
    }

    private static func headers(_ document: Document, _ disposition: Disposition) -> HTTPFields {
        var fields: HTTPFields = [
            .contentType: document.mediaType,
            .contentLength: String(document.size),
            .contentDisposition: contentDisposition(disposition, for: document.originalName),
            .cacheControl: "no-store",
            .xContentTypeOptions: "nosniff",
            .crossOriginResourcePolicy: "same-origin",
        ]
        if disposition == .inline {
            // SecurityHeadersMiddleware keeps these rather than the pages' own.
            fields[.contentSecurityPolicy] = "sandbox; default-src 'none'; frame-ancestors 'self'"
            fields[.xFrameOptions] = "SAMEORIGIN"
        }
        return fields
    }

    /// The disposition with an ASCII fallback name and the exact name percent-encoded (RFC 6266).
    static func contentDisposition(_ disposition: Disposition = .attachment, for name: String) -> String {
        let fallback = String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar != "%" && scalar != ";" ? Character(scalar) : "_"
        })
        let encoded = PercentEncoding.unreserved.encode(name)
        return "\(disposition.rawValue); filename=\"\(fallback.isEmpty ? "document" : fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
