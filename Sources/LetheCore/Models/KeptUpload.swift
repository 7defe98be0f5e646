import Foundation
import GRDB

/// A CV that arrived with a form that was refused for another reason, kept (encrypted, under its
/// own key) for the same browser for a short while so the applicant need not choose it again.
/// Only the hash of the browser's CSRF cookie names its owner; nothing serves it to anyone.
public struct KeptUpload: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    public var id: Int64?
    /// SHA-256 of the owning browser's CSRF cookie.
    public var ownerHash: Data
    public var vacancyId: Int64
    public var originalName: String
    public var mediaType: String
    public var size: Int64
    public var storageName: String
    public var encryptionKey: Data
    public var createdAt: Date
    public var expiresAt: Date

    public static let databaseTableName = "kept_upload"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let ownerHash = Column("owner_hash")
        public static let vacancyId = Column("vacancy_id")
        public static let storageName = Column("storage_name")
        public static let expiresAt = Column("expires_at")
    }

    /// Keeps `document` for its owner until `expiresAt`.
    public init(ownerHash: Data, vacancyId: Int64, document: StoredDocument, createdAt: Date, expiresAt: Date) {
        self.ownerHash = ownerHash
        self.vacancyId = vacancyId
        originalName = document.originalName
        mediaType = document.mediaType
        size = document.size
        storageName = document.storageName
        encryptionKey = document.key
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The stored file, as a submission takes it.
    public var document: StoredDocument {
        StoredDocument(storageName: storageName, key: encryptionKey, originalName: originalName, mediaType: mediaType, size: size)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
