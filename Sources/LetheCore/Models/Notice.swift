import Crypto
import Foundation
import GRDB

/// One published version of a text shown to applicants. Versions are never changed.
public struct Notice: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    /// The texts that are versioned.
    public enum Kind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        /// The privacy notice for applicants.
        case privacy
        /// What a reference check asks, and by whom.
        case reference
        /// The notice about transfers to a country outside the EU/EEA.
        case transfer
        /// The text of consent to extended retention.
        case retention
    }

    public var id: Int64?
    public var kind: Kind
    public var version: Int
    public var body: String
    /// Hex SHA-256 of `body`, so that the exact text can be proven later.
    public var sha256: String
    public var publishedAt: Date

    public static let databaseTableName = "notice"

    /// How long a version is still accepted after the next one is published, so that a form
    /// opened just before HR published stays valid (and records the version it showed).
    public static let supersededGrace: TimeInterval = 60 * 60

    /// The table's columns.
    public enum Columns {
        public static let kind = Column(CodingKeys.kind)
        public static let version = Column(CodingKeys.version)
    }

    /// Creates a version of a notice; its hash is computed from the body.
    public init(id: Int64? = nil, kind: Kind, version: Int, body: String, publishedAt: Date) {
        self.id = id
        self.kind = kind
        self.version = version
        self.body = body
        self.sha256 = SHA256.hash(data: Data(body.utf8)).hexString
        self.publishedAt = publishedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, version, body, sha256
        case publishedAt = "published_at"
    }
}

/// The record that an applicant was shown, and acknowledged, one version of a notice.
public struct NoticeAcknowledgement: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var applicationId: Int64
    public var noticeId: Int64
    public var acknowledgedAt: Date
    /// What was listed with the notice (for a transfer notice: each destination's country,
    /// recipient and safeguard), so the record shows exactly what the applicant was told.
    public var shownDetail: String

    public static let databaseTableName = "notice_acknowledgement"

    /// Creates an acknowledgement.
    public init(id: Int64? = nil, applicationId: Int64, noticeId: Int64, acknowledgedAt: Date, shownDetail: String = "") {
        self.id = id
        self.applicationId = applicationId
        self.noticeId = noticeId
        self.acknowledgedAt = acknowledgedAt
        self.shownDetail = shownDetail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case applicationId = "application_id"
        case noticeId = "notice_id"
        case acknowledgedAt = "acknowledged_at"
        case shownDetail = "shown_detail"
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal.
    public var hexString: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
