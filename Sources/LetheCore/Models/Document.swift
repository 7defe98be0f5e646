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
