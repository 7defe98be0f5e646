import Foundation
import GRDB

/// A referee the applicant named, and whether they permitted us to contact them.
///
/// The legal basis of a reference check is the organisation's legitimate interest, exercised only
/// with the applicant's informed permission; it is not consent under Art. 6(1)(a) GDPR.
public struct Reference: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
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
        public static let id = Column("id")
        public static let applicationId = Column("application_id")
        public static let position = Column("position")
        public static let permissionWithdrawnAt = Column("permission_withdrawn_at")
    }

    /// The checks made of this reference, oldest first.
    public static let checks = hasMany(ReferenceCheck.self).forKey("checks").order(ReferenceCheck.Columns.id)

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
}
