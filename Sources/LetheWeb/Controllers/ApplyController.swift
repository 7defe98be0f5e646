import Foundation
import Hummingbird
import LetheCore
import Logging

/// `POST /jobs/<id>/apply`: streams the form in, stores the application in one transaction and
/// sends the applicant to their private link. A refused application leaves no row and no file.
struct ApplyController {
    let database: AppDatabase
    let store: DocumentStore
    let sniffer: ContentSniffer
    let csrf: CSRFProtection
    let options: AppOptions
    let pages: PublicController

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/jobs/:id/apply", use: apply)
    }

    @Sendable func apply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let found = try await pages.findVacancy(context)
        guard found.vacancy.acceptsApplications(at: options.clock.now) else {
            throw HTTPError(.gone, message: "This vacancy has closed and no longer takes applications.")
        }
        guard let boundary = MultipartFormReader.boundary(fromContentType: request.headers[.contentType]) else {
            throw HTTPError(.badRequest, message: "The form was not sent as multipart/form-data with a boundary.")
        }

        let csrf = self.csrf
        var upload = ApplicationUpload(
            store: store, sniffer: sniffer, maxFileBytes: options.maxUploadBytes,
            isValidCSRFToken: { csrf.isValid($0, for: request) }
        )
        // Text fields add at most a few hundred KiB; anything beyond is not a real form.
        let reader = MultipartFormReader(maxBodyBytes: options.maxUploadBytes + 512 * 1024)
        do {
            try await reader.read(request.body, boundary: boundary, into: &upload)
        } catch {
            upload.discard()
            throw Self.httpError(for: error, maxBytes: options.maxUploadBytes)
        }

        guard csrf.isValid(upload.form.values[CSRFProtection.fieldName], for: request) else {
            upload.discard()
            throw HTTPError(.forbidden)
        }
        var errors = FieldErrors()
        let validated = upload.form.validate(international: found.vacancy.international)
        if case .failure(let fieldErrors) = validated { errors = fieldErrors }
        if let fileError = upload.fileError {
            errors["cv"] = fileError
        } else if upload.file == nil {
            errors["cv"] = "Choose your CV file to upload."
        }
        guard case .success(let valid) = validated, errors.isEmpty, let file = upload.file else {
            upload.discard()
            let view = try await pages.vacancyView(found, csrfToken: csrf.issue(for: request).token, form: upload.form, errors: errors)
            return pages.renderer.page("vacancy", view, status: .unprocessableContent)
        }

        let storageName: String
        do {
            storageName = try await file.writer.finish()
        } catch {
            upload.discard()
            throw error
        }
        let token = ApplicantToken.generate()
        let submission = ApplicationSubmission(
            vacancyId: found.vacancy.id!, form: valid, shownNoticeIds: shownNotices(upload.form),
            document: StoredDocument(
                storageName: storageName, key: file.writer.key.withUnsafeBytes { Data($0) }, originalName: file.name,
                mediaType: file.type.mediaType, size: file.writer.plaintextSize
            ),
            tokenHash: token.hash
        )
        let applicationId: Int64
        do {
            applicationId = try await database.submit(submission, at: options.clock.now, policy: options.retentionPolicy)
        } catch {
            try? store.remove(storageName: storageName)
            if case SubmissionError.vacancyClosed = error {
                throw HTTPError(.gone, message: "This vacancy closed while you were applying; your application was not stored.")
            }
            throw error
        }
        context.logger.info("application submitted", metadata: ["application": "\(applicationId)", "vacancy": "\(found.vacancy.id!)"])
        return Response(status: .seeOther, headers: [.location: "/me/\(token.token)?submitted=1"])
    }

    private func shownNotices(_ form: ApplicationForm) -> [Notice.Kind: Int64] {
        var ids: [Notice.Kind: Int64] = [:]
        for (kind, field) in [(Notice.Kind.privacy, "privacy_notice_id"), (.transfer, "transfer_notice_id"), (.reference, "reference_notice_id")] {
            if let id = form.value(field).flatMap({ Int64($0) }) { ids[kind] = id }
        }
        return ids
    }

    static func httpError(for error: Error, maxBytes: Int) -> Error {
        switch error {
        case UploadError.unsupportedType(let message):
            return HTTPError(.unsupportedMediaType, message: message)
        case UploadError.fileTooLarge, MultipartFormError.bodyTooLarge:
            return HTTPError(.contentTooLarge, headers: [.connection: "close"], message: "The file is larger than \(maxBytes / (1024 * 1024)) MiB. Upload a smaller file.")
        case UploadError.forbidden:
            return HTTPError(.forbidden)
        case UploadError.malformed(let message), MultipartFormError.malformed(let message):
            return HTTPError(.badRequest, message: message)
        default:
            return error
        }
    }
}
