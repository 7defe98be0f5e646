import Foundation
import GRDB

/// One person's application to one vacancy.
public struct JobApplication: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    /// Where the application stands in the hiring process.
    public enum Status: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case received
        case inReview = "in_review"
        case shortlisted, rejected, offered, hired, declined
    }

    public var id: Int64?
    public var vacancyId: Int64
    /// SHA-256 of the applicant's private link token; the token itself is never stored.
    public var tokenHash: Data
    public var name: String
    public var email: String
    public var phone: String?
    public var coverLetter: String?
    public var status: Status
    public var submittedAt: Date
    /// When the application is erased, kept current by ``RetentionPolicy``.
    public var retentionUntil: Date

    public static let databaseTableName = "application"

    /// The table's columns.
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let vacancyId = Column(CodingKeys.vacancyId)
        public static let retentionUntil = Column(CodingKeys.retentionUntil)
    }

    /// Creates an application.
    public init(
        id: Int64? = nil, vacancyId: Int64, tokenHash: Data, name: String, email: String, phone: String?,
        coverLetter: String?, status: Status = .received, submittedAt: Date, retentionUntil: Date
    ) {
        self.id = id
        self.vacancyId = vacancyId
        self.tokenHash = tokenHash
        self.name = name
        self.email = email
        self.phone = phone
        self.coverLetter = coverLetter
        self.status = status
        self.submittedAt = submittedAt
        self.retentionUntil = retentionUntil
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case vacancyId = "vacancy_id"
        case tokenHash = "token_hash"
        case name, email, phone
        case coverLetter = "cover_letter"
        case status
        case submittedAt = "submitted_at"
        case retentionUntil = "retention_until"
    }
}

/// A file an applicant uploaded, stored encrypted under its own key.
public struct Document: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var applicationId: Int64
    /// What the document is, e.g. `cv`.
    public var kind: String
    /// The file name the applicant's computer gave, for display and download only.
    public var originalName: String
    /// The media type libmagic detected at upload.
    public var mediaType: String
    /// Plaintext size in bytes.
    public var size: Int64
    /// The random name of the encrypted file in the document store.
    public var storageName: String
    /// The document's AES-256 key; deleting the row makes the file unreadable.
    public var encryptionKey: Data
    public var createdAt: Date

    public static let databaseTableName = "document"

    /// The table's columns.
    public enum Columns {
        public static let applicationId = Column(CodingKeys.applicationId)
        public static let storageName = Column(CodingKeys.storageName)
    }

    /// Creates a document row.
    public init(
        id: Int64? = nil, applicationId: Int64, kind: String, originalName: String, mediaType: String,
        size: Int64, storageName: String, encryptionKey: Data, createdAt: Date
    ) {
        self.id = id
        self.applicationId = applicationId
        self.kind = kind
        self.originalName = originalName
        self.mediaType = mediaType
        self.size = size
        self.storageName = storageName
        self.encryptionKey = encryptionKey
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case applicationId = "application_id"
        case kind
        case originalName = "original_name"
        case mediaType = "media_type"
        case size
        case storageName = "storage_name"
        case encryptionKey = "encryption_key"
        case createdAt = "created_at"
    }
}

/// A referee the applicant named, and whether they permitted us to contact them.
///
/// The legal basis of a reference check is the organisation's legitimate interest, exercised only
/// with the applicant's informed permission; it is not consent under Art. 6(1)(a) GDPR.
public struct Reference: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var applicationId: Int64
    /// 1, 2 or 3: the reference's place on the form.
    public var position: Int
    public var name: String
    public var contact: String
    public var relationship: String
    public var permissionGiven: Bool
    /// The reference-check notice shown when permission was given.
    public var permissionNoticeId: Int64?
    public var permissionWithdrawnAt: Date?
    /// Always `legitimate_interest`; kept in the row so that the basis can be shown to an authority.
    public var legalBasis: String

    public static let databaseTableName = "reference"

    /// The table's columns.
    public enum Columns {
        public static let applicationId = Column(CodingKeys.applicationId)
        public static let position = Column(CodingKeys.position)
    }

    /// Creates a reference.
    public init(
        id: Int64? = nil, applicationId: Int64, position: Int, name: String, contact: String, relationship: String,
        permissionGiven: Bool, permissionNoticeId: Int64?, permissionWithdrawnAt: Date? = nil
    ) {
        self.id = id
        self.applicationId = applicationId
        self.position = position
        self.name = name
        self.contact = contact
        self.relationship = relationship
        self.permissionGiven = permissionGiven
        self.permissionNoticeId = permissionNoticeId
        self.permissionWithdrawnAt = permissionWithdrawnAt
        self.legalBasis = "legitimate_interest"
    }

    /// Whether the reference may be contacted now: permission given and not withdrawn.
    public var permissionStands: Bool { permissionGiven && permissionWithdrawnAt == nil }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case applicationId = "application_id"
        case position, name, contact, relationship
        case permissionGiven = "permission_given"
        case permissionNoticeId = "permission_notice_id"
        case permissionWithdrawnAt = "permission_withdrawn_at"
        case legalBasis = "legal_basis"
    }
}
