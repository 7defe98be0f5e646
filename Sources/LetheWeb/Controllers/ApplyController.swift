import Foundation
import Hummingbird
import LetheCore
import Logging
import NIOCore
import Synchronization

/// `POST /jobs/<id>/apply`: streams the form in, stores the application in one transaction and
/// sends the applicant to their private link. A refused application leaves no row and no file.
struct ApplyController {
    let database: AppDatabase
    let store: DocumentStore
    let sniffer: ContentSniffer
    let csrf: CSRFProtection
    let terms: TermsSigner
    /// Writes the receipt; nil when mail is off.
    let mailer: Mailer?
    let options: AppOptions
    let vacancyPage: VacancyPage

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/jobs/:id/apply", use: apply)
    }

    /// What the applicant reads when the terms a form showed no longer hold.
    static var termsChangedMessage: String { T("apply.termsChanged") }

    @Sendable func apply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let found = try await vacancyPage.find(context)
        guard found.vacancy.acceptsApplications(at: options.clock.now) else {
            throw HTTPError(.gone, message: T("error.vacancyClosed"))
        }
        guard let boundary = MultipartFormReader.boundary(fromContentType: request.headers[.contentType]) else {
            throw HTTPError(.badRequest, message: T("error.notMultipart"))
        }

        let csrf = self.csrf
        let upload = UploadInProgress(ApplicationUpload(
            store: store, sniffer: sniffer, maxFileBytes: options.maxUploadBytes,
            isValidCSRFToken: { csrf.isValid($0, for: request) }
        ))
        // Text fields add at most a few hundred KiB; anything beyond is not a real form.
        let reader = MultipartFormReader(maxBodyBytes: options.maxUploadBytes + 512 * 1024)
        do {
            try await Self.withDeadline(seconds: options.uploadTimeoutSeconds, on: context.eventLoop) {
                try await reader.read(request.body, boundary: boundary, into: &upload.value)
            }
        } catch {
            upload.value.discard()
            // A file of the wrong type or size is something the applicant can fix: the form
            // again, with what they typed (the text fields arrive before the file, which the
            // form puts last) and the reason at the CV field. The rest is not read.
            if let (status, phrase) = Self.fileRefusal(error, maxBytes: options.maxUploadBytes) {
                var errors = FieldErrors()
                errors["cv"] = phrase
                var response = try await vacancyPage.render(found, request, context, form: upload.value.form, errors: errors, status: status)
                response.headers[.connection] = "close"
                return response
            }
            throw Self.httpError(for: error, maxBytes: options.maxUploadBytes)
        }
        let received = upload.value

        guard csrf.isValid(received.form.values[CSRFProtection.fieldName], for: request) else {
            received.discard()
            throw HTTPError(.forbidden)
        }
        let vacancyId = found.vacancy.id!
        let owner = csrf.browserHash(for: request)
        let facts = try await database.applicationFormFacts(vacancyId: vacancyId, ownerHash: owner, at: options.clock.now)
        let kept = facts.kept
        var errors = FieldErrors()
        let validated = received.form.validate(international: found.vacancy.international, questions: facts.questions)
        if case .failure(let fieldErrors) = validated { errors = fieldErrors }
        if let fileError = received.fileError, !(fileError.key == "apply.error.cvMissing" && kept != nil) {
            errors["cv"] = fileError
        } else if received.file == nil && kept == nil {
            errors["cv"] = "apply.error.cvMissing"
        }
        guard case .success(let valid) = validated, errors.isEmpty else {
            // An accepted CV is kept for this browser, so that fixing the form does not mean
            // choosing the file again.
            try await keep(received, owner: owner, vacancyId: vacancyId)
            return try await vacancyPage.render(found, request, context, form: received.form, errors: errors, status: .unprocessableContent)
        }
        guard let shown = terms.verify(received.form.values["terms"]) else {
            try await keep(received, owner: owner, vacancyId: vacancyId)
            return try await vacancyPage.render(found, request, context, form: received.form, formMessage: Self.termsChangedMessage, status: .conflict)
        }

        // The file sent now, or else the one kept from an earlier try.
        let document: StoredDocument
        if let file = received.file {
            do {
                document = try await Self.finish(file)
            } catch {
                received.discard()
                throw error
            }
        } else {
            document = kept!.document
        }
        let isNewFile = received.file != nil
        let token = SecretToken.generate()
        let now = options.clock.now
        // The language the form was shown in is the applicant's from now on.
        let language = Localizer.current.language.rawValue
        let receipt = MailAddress(valid.email, name: valid.name).flatMap { address in
            mailer?.receipt(to: address, vacancyTitle: found.vacancy.title, fileName: document.originalName, references: valid.references.count, token: token, submittedAt: now, language: language)
        }
        var submission = ApplicationSubmission(vacancyId: vacancyId, form: valid, shown: shown, document: document, tokenHash: token.hash, receipt: receipt)
        submission.language = language
        let applicationId: Int64
        do {
            applicationId = try await database.submit(submission, at: now, policy: options.retentionPolicy)
        } catch {
            // A kept file stays kept (its row is untouched).
            switch error {
            case is TermsChanged:
                // What the vacancy page said is not what holds now: show the terms as they are,
                // with the new file kept like that of any other form sent back.
                if isNewFile { try await keep(document, owner: owner, vacancyId: vacancyId) }
                return try await vacancyPage.render(try await vacancyPage.find(context), request, context, form: received.form, formMessage: Self.termsChangedMessage, status: .conflict)
            case SubmissionError.vacancyClosed:
                if isNewFile { try? store.remove(storageName: document.storageName) }
                throw HTTPError(.gone, message: T("error.vacancyClosedWhileApplying"))
            case SubmissionError.alreadyApplied:
                // Not stored twice: the applicant is told, and offered their link by e-mail.
                if isNewFile { try? store.remove(storageName: document.storageName) }
                var errors = FieldErrors()
                errors["email"] = "apply.error.alreadyApplied"
                return try await vacancyPage.render(
                    found, request, context, form: received.form, errors: errors, status: .conflict,
                    alreadyApplied: AlreadyAppliedView(email: valid.email, canMail: mailer != nil)
                )
            default:
                if isNewFile { try? store.remove(storageName: document.storageName) }
                throw error
            }
        }
        // A file kept earlier and replaced by this one is not needed any more.
        if let owner, isNewFile, kept != nil {
            for name in try await database.dropKeptUploads(ownerHash: owner, vacancyId: vacancyId) {
                try? store.remove(storageName: name)
            }
        }
        context.logger.info("application submitted", metadata: ["application": "\(applicationId)", "vacancy": "\(vacancyId)"])
        return .redirect(to: "/me/\(token.text)?submitted=1")
    }

    /// Makes the uploaded file durable and describes it for its row.
    private static func finish(_ file: (writer: EncryptedDocumentWriter, type: ContentSniffer.AllowedType, name: String)) async throws -> StoredDocument {
        let storageName = try await file.writer.finish()
        return StoredDocument(
            storageName: storageName, key: file.writer.key.withUnsafeBytes { Data($0) }, originalName: file.name,
            mediaType: file.type.mediaType, size: file.writer.plaintextSize
        )
    }

    /// Keeps the accepted file of a refused form for this browser (replacing what it kept
    /// before); discards it when the browser cannot be named.
    private func keep(_ received: ApplicationUpload, owner: Data?, vacancyId: Int64) async throws {
        guard let file = received.file, let owner else {
            received.discard()
            return
        }
        let document: StoredDocument
        do {
            document = try await Self.finish(file)
        } catch {
            received.discard()
            throw error
        }
        try await keep(document, owner: owner, vacancyId: vacancyId)
    }

    /// Keeps a finished file for this browser (or removes it when the browser cannot be named).
    private func keep(_ document: StoredDocument, owner: Data?, vacancyId: Int64) async throws {
        guard let owner else {
            try? store.remove(storageName: document.storageName)
            return
        }
        let replaced: [String]
        do {
            replaced = try await database.keepUpload(document, ownerHash: owner, vacancyId: vacancyId, at: options.clock.now)
        } catch {
            try? store.remove(storageName: document.storageName)
            throw error
        }
        for name in replaced { try? store.remove(storageName: name) }
    }

    /// Runs `body`, or fails with ``UploadError/timedOut`` once `seconds` have passed, however
    /// slowly the client sends: a trickling upload cannot hold a connection and a file forever.
    ///
    /// The timer is an event-loop task, not `Task.sleep`: a cancelled sleep returns at once but
    /// its timer stays scheduled, holding memory, until the original deadline; thousands of
    /// uploads a minute with a ten-minute deadline made the server grow. A cancelled NIO
    /// scheduled task is gone.
    static func withDeadline(seconds: Int, on eventLoop: any EventLoop, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let work = Task { try await body() }
        let expired = Mutex(false)
        let timer = eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
            expired.withLock { $0 = true }
            work.cancel()
        }
        defer { timer.cancel() }
        do {
            try await withTaskCancellationHandler { try await work.value } onCancel: { work.cancel() }
        } catch {
            if expired.withLock({ $0 }) { throw UploadError.timedOut }
            throw error
        }
    }

    /// The status and message of a file the form can be shown again for, or nil.
    static func fileRefusal(_ error: Error, maxBytes: Int) -> (HTTPResponse.Status, Phrase)? {
        switch error {
        case UploadError.unsupportedType(let phrase): (.unsupportedMediaType, phrase)
        case UploadError.fileTooLarge, MultipartFormError.bodyTooLarge: (.contentTooLarge, Phrase("apply.error.cvTooLarge", ["size": String(maxBytes / (1024 * 1024))]))
        default: nil
        }
    }

    static func httpError(for error: Error, maxBytes: Int) -> Error {
        switch error {
        case UploadError.unsupportedType(let phrase):
            return HTTPError(.unsupportedMediaType, message: phrase.text)
        case UploadError.fileTooLarge, MultipartFormError.bodyTooLarge:
            return HTTPError(.contentTooLarge, headers: [.connection: "close"], message: T("apply.error.cvTooLarge", ["size": String(maxBytes / (1024 * 1024))]))
        case UploadError.forbidden:
            return HTTPError(.forbidden)
        case UploadError.timedOut:
            return HTTPError(.requestTimeout, headers: [.connection: "close"], message: T("apply.error.timedOut"))
        case UploadError.malformed(let message), MultipartFormError.malformed(let message):
            return HTTPError(.badRequest, message: message)
        default:
            return error
        }
    }
}

/// The upload being read, handed from the task that reads the body (under a deadline) back to
/// the handler; only one of them touches it at a time.
final class UploadInProgress: @unchecked Sendable {
    var value: ApplicationUpload
    init(_ value: ApplicationUpload) { self.value = value }
}
