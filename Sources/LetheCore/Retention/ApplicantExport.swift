import Foundation

/// The applicant's copy of everything stored about them (`/me/<token>/export`).
/// Documents are listed, not embedded; they download separately.
public struct ApplicantExport: Codable, Sendable {
    public struct DocumentEntry: Codable, Sendable {
        public var id: Int64
        public var kind: String
        public var fileName: String
        public var mediaType: String
        public var sizeBytes: Int64
        public var uploadedAt: Date
    }

    public struct ReferenceEntry: Codable, Sendable {
        public var position: Int
        public var name: String
        public var contact: String
        public var relationship: String
        public var permissionGiven: Bool
        public var permissionWithdrawnAt: Date?
        public var legalBasis: String
        public var checks: [CheckEntry]
    }

    public struct CheckEntry: Codable, Sendable {
        public var contactedOn: String
        public var summary: String
    }

    public struct NoticeEntry: Codable, Sendable {
        public var kind: String
        public var version: Int
        /// The language of the text the applicant read (`da`, `en`), and that text's hash.
        public var language: String
        public var sha256: String
        public var text: String
        public var acknowledgedAt: Date
        public var listedWithIt: String?
    }

    public struct ConsentEntry: Codable, Sendable {
        public var givenAt: Date
        public var until: Date
        public var method: String
        public var evidence: String?
        public var noticeVersionId: Int64
        /// The language of the consent text read.
        public var language: String
        public var withdrawnAt: Date?
    }

    public struct RecipientEntry: Codable, Sendable {
        public var recipient: String
        public var country: String
        public var safeguard: String
        public var what: String
        public var sharedOn: String
    }

    public struct AssessmentEntry: Codable, Sendable {
        public var competencies: Int
        public var qualifications: Int
        public var experience: Int
        public var notes: String
        public var writtenAt: Date
        public var updatedAt: Date
    }

    public struct StatusEntry: Codable, Sendable {
        public var status: String
        public var changedAt: Date
    }

    public struct MessageEntry: Codable, Sendable {
        public var from: String
        public var subject: String?
        public var text: String
        public var sentAt: Date
    }

    public var exportedAt: Date
    public var vacancy: String
    public var name: String
    public var email: String
    public var phone: String?
    public var coverLetter: String?
    public var status: String
    public var submittedAt: Date
    public var retentionUntil: Date
    public var documents: [DocumentEntry]
    public var references: [ReferenceEntry]
    public var noticesAcknowledged: [NoticeEntry]
    public var consents: [ConsentEntry]
    /// Who outside the organisation received the application (third-country partners).
    public var recipients: [RecipientEntry]
    /// The hiring panel's assessments of the application (scores 1 to 5 and notes).
    public var assessments: [AssessmentEntry]
    /// The answers to the vacancy's screening questions.
    public var screeningAnswers: [AnswerEntry] = []
    /// The other vacancies HR showed the application to from the talent pool.
    public var shownToVacancies: [ShownEntry] = []

    /// A screening question and the applicant's answer.
    public struct AnswerEntry: Codable, Sendable {
        public var question: String
        public var answer: String

        public init(question: String, answer: String) {
            self.question = question
            self.answer = answer
        }
    }

    /// A vacancy the application was proposed to.
    public struct ShownEntry: Codable, Sendable {
        public var vacancy: String
        public var since: Date

        public init(vacancy: String, since: Date) {
            self.vacancy = vacancy
            self.since = since
        }
    }
    /// Every status the application has had, from submission on.
    public var statusHistory: [StatusEntry]
    /// The messages between the hiring panel and the applicant.
    public var messages: [MessageEntry]

    /// Builds the export from the stored record.
    public init(record: ApplicationRecord, exportedAt: Date) {
        let app = record.application
        self.exportedAt = exportedAt
        vacancy = record.vacancy.title
        name = app.name
        email = app.email
        phone = app.phone
        coverLetter = app.coverLetter
        status = app.status.rawValue
        submittedAt = app.submittedAt
        retentionUntil = app.retentionUntil
        documents = record.documents.map {
            DocumentEntry(id: $0.id!, kind: $0.kind, fileName: $0.originalName, mediaType: $0.mediaType, sizeBytes: $0.size, uploadedAt: $0.createdAt)
        }
        references = record.references.map { info in
            let reference = info.reference
            return ReferenceEntry(
                position: reference.position, name: reference.name, contact: reference.contact, relationship: reference.relationship,
                permissionGiven: reference.permissionGiven, permissionWithdrawnAt: reference.permissionWithdrawnAt, legalBasis: reference.legalBasis,
                checks: info.checks.map { CheckEntry(contactedOn: $0.check.contactedOn, summary: $0.check.summary) }
            )
        }
        noticesAcknowledged = record.acknowledgements.map {
            let read = $0.notice.text(in: $0.acknowledgement.language)
            return NoticeEntry(kind: $0.notice.kind.rawValue, version: $0.notice.version, language: read.language, sha256: read.sha256, text: read.body,
                        acknowledgedAt: $0.acknowledgement.acknowledgedAt, listedWithIt: $0.acknowledgement.shownDetail.isEmpty ? nil : $0.acknowledgement.shownDetail)
        }
        consents = record.consents.map {
            ConsentEntry(givenAt: $0.givenAt, until: $0.until, method: $0.method.rawValue, evidence: $0.evidence, noticeVersionId: $0.noticeId, language: $0.language, withdrawnAt: $0.withdrawnAt)
        }
        assessments = record.assessments.map(\.assessment).map {
            AssessmentEntry(competencies: $0.competencies, qualifications: $0.qualifications, experience: $0.experience, notes: $0.notes, writtenAt: $0.createdAt, updatedAt: $0.updatedAt)
        }
        statusHistory = [StatusEntry(status: JobApplication.Status.received.rawValue, changedAt: app.submittedAt)]
            + record.statusChanges.map(\.change).map { StatusEntry(status: $0.status.rawValue, changedAt: $0.changedAt) }
        messages = record.messages.map(\.message).map {
            MessageEntry(from: $0.author == .applicant ? "applicant" : "hiring panel", subject: $0.subject, text: $0.body, sentAt: $0.createdAt)
        }
        recipients = record.transfers.map {
            RecipientEntry(recipient: $0.destination.recipient, country: $0.destination.country, safeguard: $0.destination.safeguard.rawValue, what: $0.record.what, sharedOn: $0.record.sharedOn)
        }
    }
}
