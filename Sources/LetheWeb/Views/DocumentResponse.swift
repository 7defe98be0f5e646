import Foundation
import HTTPTypes
import Hummingbird
import LetheCore

/// A stored document sent back decrypted, as a stream, as a download that a browser never renders.
enum DocumentResponse {
    /// The headers of a download without reading the file: the answer to HEAD.
    static func head(_ document: Document) -> Response {
        Response(status: .ok, headers: headers(document))
    }

    static func make(_ document: Document, store: DocumentStore) throws -> Response {
        let reader = try store.openReader(storageName: document.storageName, key: .init(data: document.encryptionKey))
        let body = ResponseBody { writer in
            while let chunk = try reader.next() {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers(document), body: body)
    }

    private static func headers(_ document: Document) -> HTTPFields {
        [
            .contentType: document.mediaType,
            .contentLength: String(document.size),
            .contentDisposition: contentDisposition(for: document.originalName),
            .cacheControl: "no-store",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
    }

    /// `attachment` with an ASCII fallback name and the exact name percent-encoded (RFC 6266).
    static func contentDisposition(for name: String) -> String {
        let fallback = String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar != "%" && scalar != ";" ? Character(scalar) : "_"
        })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "attachment; filename=\"\(fallback.isEmpty ? "document" : fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
