import Foundation
import GRDB

/// One person's application to one vacancy.
public struct JobApplication: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
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
    /// The language the applicant applied in (`da`, `en`): every message to them uses it.
    public var language: String

    public static let databaseTableName = "application"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let vacancyId = Column("vacancy_id")
        public static let tokenHash = Column("token_hash")
        public static let name = Column("name")
        public static let email = Column("email")
        public static let phone = Column("phone")
        public static let coverLetter = Column("cover_letter")
        public static let status = Column("status")
        public static let submittedAt = Column("submitted_at")
        public static let retentionUntil = Column("retention_until")
        public static let language = Column("language")
    }

    public static let vacancy = belongsTo(Vacancy.self)
    public static let documents = hasMany(Document.self).order(Document.Columns.id)
    public static let references = hasMany(Reference.self).order(Reference.Columns.position)
    public static let acknowledgements = hasMany(NoticeAcknowledgement.self).forKey("acknowledgements").order(NoticeAcknowledgement.Columns.id)
    public static let consents = hasMany(Consent.self).order(Consent.Columns.id)
    public static let assessments = hasMany(Assessment.self).order(Assessment.Columns.id)
    public static let statusChanges = hasMany(StatusChange.self).forKey("statusChanges").order(StatusChange.Columns.id)
    public static let messages = hasMany(ThreadMessage.self).forKey("messages").order(ThreadMessage.Columns.id)
    public static let transfers = hasMany(TransferRecord.self).forKey("transfers").order(TransferRecord.Columns.id)
    static let acknowledgedDestinationRows = hasMany(AcknowledgedDestination.self)
    /// The partners the applicant was told about when applying (removed ones included).
    public static let acknowledgedDestinations = hasMany(
        TransferDestination.self, through: acknowledgedDestinationRows, using: AcknowledgedDestination.destination
    ).forKey("acknowledgedDestinations").order(TransferDestination.Columns.id)

    /// Creates an application.
    public init(
        id: Int64? = nil, vacancyId: Int64, tokenHash: Data, name: String, email: String, phone: String?,
        coverLetter: String?, status: Status = .received, submittedAt: Date, retentionUntil: Date, language: String = "en"
    ) {
        self.language = language
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
}

// Column by column, not through `Codable`: read or written on every request (see `SnakeCaseRecord`).
extension JobApplication {
    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        vacancyId = try row.decode(forColumn: Columns.vacancyId)
        tokenHash = try row.decode(forColumn: Columns.tokenHash)
        name = try row.decode(forColumn: Columns.name)
        email = try row.decode(forColumn: Columns.email)
        phone = try row.decode(forColumn: Columns.phone)
        coverLetter = try row.decode(forColumn: Columns.coverLetter)
        status = try row.decode(forColumn: Columns.status)
        submittedAt = try row.decode(forColumn: Columns.submittedAt)
        retentionUntil = try row.decode(forColumn: Columns.retentionUntil)
        language = try row.decode(forColumn: Columns.language)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.vacancyId] = vacancyId
        container[Columns.tokenHash] = tokenHash
        container[Columns.name] = name
        container[Columns.email] = email
        container[Columns.phone] = phone
        container[Columns.coverLetter] = coverLetter
        container[Columns.status] = status
        container[Columns.submittedAt] = submittedAt
        container[Columns.retentionUntil] = retentionUntil
        container[Columns.language] = language
    }
}
