import Foundation
import Hummingbird

/// A small `application/x-www-form-urlencoded` body, collected with a limit and decoded.
struct FormBody {
    let values: [String: String]

    /// The most bytes a staff form may send.
    static let limit = 64 * 1024

    /// Reads the request's form, or throws 400/413/415.
    static func read(_ request: Request, context: some RequestContext) async throws -> FormBody {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw HTTPError(.unsupportedMediaType, message: "This form must be sent as application/x-www-form-urlencoded.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The form is too large.")
        }
        do {
            let values = try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: buffer))
            return FormBody(values: values)
        } catch {
            throw HTTPError(.badRequest, message: "The form data could not be read.")
        }
    }

    /// A trimmed value, nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let raw = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
        return raw
    }
}
