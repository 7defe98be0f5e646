import Foundation
import Hummingbird
import LetheCore

/// A small `application/x-www-form-urlencoded` body, collected with a limit and decoded.
enum FormBody {
    /// The most bytes a staff form may send.
    static let limit = 64 * 1024

    /// Reads the request's form, or throws 400/413/415.
    static func read(_ request: Request, context: some RequestContext) async throws -> FormValues {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw HTTPError(.unsupportedMediaType, message: T("error.formType"))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge, message: T("error.formTooLarge"))
        }
        do {
            return FormValues(try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: buffer)))
        } catch {
            throw HTTPError(.badRequest, message: T("error.formUnreadable"))
        }
    }
}
