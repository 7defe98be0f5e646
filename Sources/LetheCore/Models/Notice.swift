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
    /// The English text.
    public var body: String
    /// Hex SHA-256 of `body`, so that the exact text can be proven later.
    public var sha256: String
    /// The Danish text (nil only in versions published before Lethe spoke Danish).
    public var bodyDa: String?
    /// Hex SHA-256 of `bodyDa`.
    public var sha256Da: String?
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
        public static let body = Column("body")
        public static let sha256 = Column("sha256")
        public static let bodyDa = Column("body_da")
        public static let sha256Da = Column("sha256_da")
        public static let publishedAt = Column("published_at")
        public static let publishedBy = Column("published_by")
    }

    /// Creates a version of a notice in English and Danish; each text's hash is computed from it.
    public init(id: Int64? = nil, kind: Kind, version: Int, body: String, bodyDa: String?, publishedAt: Date, publishedBy: Int64? = nil) {
        self.id = id
        self.kind = kind
        self.version = version
        self.body = body
        self.sha256 = SHA256.hash(data: Data(body.utf8)).hexString
        self.bodyDa = bodyDa
        self.sha256Da = bodyDa.map { SHA256.hash(data: Data($0.utf8)).hexString }
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The text a reader of `language` (`da`, `en`) is shown, the language it is in (English
    /// where an old version has no Danish), and its SHA-256.
    public func text(in language: String) -> (language: String, body: String, sha256: String) {
        if language == "da", let bodyDa, let sha256Da { return ("da", bodyDa, sha256Da) }
        return ("en", body, sha256)
    }
}

// Column by column, not through `Codable`: read or written on every request (see `SnakeCaseRecord`).
extension Notice {
    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        kind = try row.decode(forColumn: Columns.kind)
        version = try row.decode(forColumn: Columns.version)
        body = try row.decode(forColumn: Columns.body)
        sha256 = try row.decode(forColumn: Columns.sha256)
        bodyDa = try row.decode(forColumn: Columns.bodyDa)
        sha256Da = try row.decode(forColumn: Columns.sha256Da)
        publishedAt = try row.decode(forColumn: Columns.publishedAt)
        publishedBy = try row.decode(forColumn: Columns.publishedBy)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.kind] = kind
        container[Columns.version] = version
        container[Columns.body] = body
        container[Columns.sha256] = sha256
        container[Columns.bodyDa] = bodyDa
        container[Columns.sha256Da] = sha256Da
        container[Columns.publishedAt] = publishedAt
        container[Columns.publishedBy] = publishedBy
    }
}
