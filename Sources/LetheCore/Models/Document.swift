import Foundation
import GRDB

/// A file an applicant uploaded, stored encrypted under its own key.
public struct Document: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
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
        public static let id = Column("id")
        public static let applicationId = Column("application_id")
        public static let storageName = Column("storage_name")
        public static let kind = Column("kind")
        public static let originalName = Column("original_name")
        public static let mediaType = Column("media_type")
        public static let size = Column("size")
        public static let encryptionKey = Column("encryption_key")
        public static let createdAt = Column("created_at")
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
}

// Column by column, not through `Codable`: read or written on every request (see `SnakeCaseRecord`).
extension Document {
    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        applicationId = try row.decode(forColumn: Columns.applicationId)
        kind = try row.decode(forColumn: Columns.kind)
        originalName = try row.decode(forColumn: Columns.originalName)
        mediaType = try row.decode(forColumn: Columns.mediaType)
        size = try row.decode(forColumn: Columns.size)
        storageName = try row.decode(forColumn: Columns.storageName)
        encryptionKey = try row.decode(forColumn: Columns.encryptionKey)
        createdAt = try row.decode(forColumn: Columns.createdAt)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.applicationId] = applicationId
        container[Columns.kind] = kind
        container[Columns.originalName] = originalName
        container[Columns.mediaType] = mediaType
        container[Columns.size] = size
        container[Columns.storageName] = storageName
        container[Columns.encryptionKey] = encryptionKey
        container[Columns.createdAt] = createdAt
    }
}
