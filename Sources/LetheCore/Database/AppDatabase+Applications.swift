import Foundation
import GRDB

/// A document already written, encrypted, to the document store, waiting for its row.
public struct StoredDocument: Sendable {
    public var storageName: String
    public var key: Data
    public var originalName: String
    public var mediaType: String
    public var size: Int64

    /// Describes a stored file.
    public init(storageName: String, key: Data, originalName: String, mediaType: String, size: Int64) {
        self.storageName = storageName
        self.key = key
        self.originalName = originalName
        self.mediaType = mediaType
        self.size = size
    }
}

/// Everything an applicant sent, validated, ready for one transaction.
public struct ApplicationSubmission: Sendable {
    public var vacancyId: Int64
    public var form: ApplicationForm.Valid
    /// What the form showed, as the server signed it into the form.
    public var shown: ShownTerms
    public var document: StoredDocument
    public var tokenHash: Data
    /// The language the form was shown in.
    public var language = "en"
    /// The receipt to mail, queued in the same transaction; nil when mail is off.
    public var receipt: OutgoingMail?

    /// Bundles a submission.
    public init(vacancyId: Int64, form: ApplicationForm.Valid, shown: ShownTerms, document: StoredDocument, tokenHash: Data, receipt: OutgoingMail? = nil) {
        self.receipt = receipt
        self.vacancyId = vacancyId
        self.form = form
        self.shown = shown
        self.document = document
        self.tokenHash = tokenHash
    }
}

/// Why a submission was not stored (besides ``NotFound`` and ``TermsChanged``).
public enum SubmissionError: Error, Equatable {
    /// The vacancy exists but no longer takes applications.
    case vacancyClosed
    /// An application with the same e-mail address (in any case) is already stored for the vacancy.
    case alreadyApplied
}

extension AppDatabase {
    /// Stores a submission in one immediate transaction: the application, its document, its
    /// references, its notice acknowledgements (the versions shown) with the partners named,
    /// and an audit event, or nothing at all. Throws ``SubmissionError/alreadyApplied`` when the
    /// address has an application for the vacancy already. Throws ``TermsChanged`` when what the form showed
    /// no longer holds: the vacancy's transfer terms changed, or a notice was replaced longer
    /// ago than ``Notice/supersededGrace``.
    public func submit(_ submission: ApplicationSubmission, at now: Date, policy: RetentionPolicy) async throws -> Int64 {
        // Statements are cached (the SQL's text is the same for every application): generating
        // and parsing them was a fifth of an application's CPU. Applications finishing together
        // share a transaction and its fsync (``GroupCommit``), each in a savepoint of its own.
        try await groupCommit.write { db in
            guard let (vacancy, destinations) = try Self.vacancy(db, id: submission.vacancyId) else { throw NotFound("vacancy") }
            guard vacancy.acceptsApplications(at: now) else { throw SubmissionError.vacancyClosed }
            let terms = ShownTerms.VacancyTerms(vacancyId: submission.vacancyId, international: vacancy.international, destinationIds: destinations.compactMap(\.id))
            guard submission.shown.vacancy == terms else { throw TermsChanged() }
            // The answers are to exactly the questions the vacancy asks now.
            let questionIds = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM screening_question WHERE vacancy_id = ?"), arguments: [submission.vacancyId])
            guard Set(questionIds) == Set(submission.form.answers.keys) else { throw TermsChanged() }
            // One application per address and vacancy; checked inside the transaction that
            // stores, so two forms sent at once cannot both pass.
            let applied = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM application WHERE vacancy_id = ? AND email = ? COLLATE NOCASE)"),
                                            arguments: [submission.vacancyId, submission.form.email]) ?? false
            guard !applied else { throw SubmissionError.alreadyApplied }

            var kinds: [Notice.Kind] = [.privacy]
            if vacancy.international { kinds.append(.transfer) }
            if submission.form.references.contains(where: \.permissionGiven) { kinds.append(.reference) }
            var notices: [Notice.Kind: Notice] = [:]
            for kind in kinds {
                notices[kind] = try Self.acknowledgeableNotice(db, kind: kind, shown: submission.shown.notices[kind], at: now)
            }
            let noticeIds = notices.mapValues { $0.id! }

            var application = JobApplication(
                vacancyId: submission.vacancyId, tokenHash: submission.tokenHash, name: submission.form.name,
                email: submission.form.email, phone: submission.form.phone, coverLetter: submission.form.coverLetter,
                submittedAt: now, retentionUntil: policy.retentionUntil(submittedAt: now, consentEnds: []), language: submission.language
            )
            try application.insert(db)
            let applicationId = db.lastInsertedRowID

            let stored = submission.document
            var document = Document(
                applicationId: applicationId, kind: "cv", originalName: stored.originalName, mediaType: stored.mediaType,
                size: stored.size, storageName: stored.storageName, encryptionKey: stored.key, createdAt: now
            )
            try document.insert(db)
            // A CV kept from an earlier, refused form now belongs to the application.
            try db.cachedStatement(sql: "DELETE FROM kept_upload WHERE storage_name = ?").execute(arguments: [stored.storageName])

            for (questionId, answer) in submission.form.answers.sorted(by: { $0.key < $1.key }) {
                try db.cachedStatement(sql: "INSERT INTO screening_answer (application_id, question_id, answer) VALUES (?, ?, ?)").execute(arguments: [applicationId, questionId, answer])
            }
            for entry in submission.form.references {
                var reference = Reference(
                    applicationId: applicationId, position: entry.position, name: entry.name, contact: entry.contact,
                    relationship: entry.relationship, permissionGiven: entry.permissionGiven,
                    permissionNoticeId: entry.permissionGiven ? noticeIds[.reference] : nil
                )
                try reference.insert(db)
            }
            for kind in kinds {
                let shown = kind == .transfer ? destinations.map(\.summary).joined(separator: "; ") : ""
                let shownLanguage = notices[kind]!.text(in: submission.language).language
                var ack = NoticeAcknowledgement(applicationId: applicationId, noticeId: noticeIds[kind]!, acknowledgedAt: now, shownDetail: shown, language: shownLanguage)
                try ack.insert(db)
            }
            if vacancy.international {
                for destination in destinations {
                    try AcknowledgedDestination(applicationId: applicationId, destinationId: destination.id!).insert(db)
                }
            }
            if let receipt = submission.receipt {
                try Self.enqueue(db, receipt, applicationId: applicationId, at: now)
            }
            let noticeList = kinds.map { "\($0.rawValue)=\(noticeIds[$0]!)" }.joined(separator: " ")
            try AuditLog.append(
                db, at: now, actor: .applicant, action: "application.submitted", subjectType: "application",
                subjectId: applicationId, detail: "vacancy=\(submission.vacancyId) document=\(document.id!) \(noticeList)"
            )
            return applicationId
        }
    }

    /// Everything stored about the application a private link with this hash opens.
    public func applicationRecord(linkHash: Data) async throws -> ApplicationRecord? {
        try await writer.read { db in
            try Self.applicationId(db, linkHash: linkHash).flatMap { try ApplicationRecord.all.filter(key: $0).fetchOne(db) }
        }
    }

    /// Everything stored about an application, by id.
    public func applicationRecord(id: Int64) async throws -> ApplicationRecord? {
        try await writer.read { db in try ApplicationRecord.all.filter(key: id).fetchOne(db) }
    }

    /// How many applications, documents and audit events are stored; for tests and health views.
    public func counts() throws -> (applications: Int, documents: Int, auditEvents: Int) {
        try writer.read { db in
            (try JobApplication.fetchCount(db), try Document.fetchCount(db), try AuditEvent.fetchCount(db))
        }
    }
}
