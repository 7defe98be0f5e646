import Crypto
import Foundation
import GRDB

/// One published version of a text shown to applicants. Versions are never changed.
public struct Notice: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
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
    public var publishedBy: Int64?

    public static let databaseTableName = "notice"

    /// How long a version is still accepted after the next one is published, so that a form
    /// opened just before HR published stays valid (and records the version it showed).
    public static let supersededGrace: TimeInterval = 60 * 60

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let kind = Column("kind")
        public static let version = Column("version")
    }

    /// Creates a version of a notice; its hash is computed from the body.
    public init(id: Int64? = nil, kind: Kind, version: Int, body: String, publishedAt: Date, publishedBy: Int64? = nil) {
        self.id = id
        self.kind = kind
        self.version = version
        self.body = body
        self.sha256 = SHA256.hash(data: Data(body.utf8)).hexString
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
