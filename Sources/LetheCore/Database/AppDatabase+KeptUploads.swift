import Foundation
import GRDB

extension AppDatabase {
    /// How long an accepted CV is kept for a form that was refused for another reason.
    public static let keptUploadLifetime: TimeInterval = 60 * 60

    /// Keeps `document` for the browser `ownerHash` names, for this vacancy, replacing what it
    /// kept before. Returns the storage names of replaced files, for the caller to remove.
    public func keepUpload(_ document: StoredDocument, ownerHash: Data, vacancyId: Int64, at now: Date) async throws -> [String] {
        try await writer.write { db in
            let previous = KeptUpload.filter(KeptUpload.Columns.ownerHash == ownerHash && KeptUpload.Columns.vacancyId == vacancyId)
            let replaced = try String.fetchAll(db, previous.select(KeptUpload.Columns.storageName))
            try previous.deleteAll(db)
            var kept = KeptUpload(ownerHash: ownerHash, vacancyId: vacancyId, document: document, createdAt: now, expiresAt: now.addingTimeInterval(Self.keptUploadLifetime))
            try kept.insert(db)
            return replaced
        }
    }

    /// What the browser `ownerHash` names keeps for this vacancy, unless expired.
    static func keptUpload(_ db: Database, ownerHash: Data, vacancyId: Int64, at now: Date) throws -> KeptUpload? {
        // A cached statement: every vacancy page and every application asks.
        try KeptUpload.fetchOne(db.cachedStatement(sql: "SELECT * FROM kept_upload WHERE owner_hash = ? AND vacancy_id = ? AND expires_at > ?"),
                                arguments: [ownerHash, vacancyId, now])
    }

    /// Forgets what the browser kept for this vacancy; returns the storage names to remove.
    public func dropKeptUploads(ownerHash: Data, vacancyId: Int64) async throws -> [String] {
        try await writer.write { db in
            let kept = KeptUpload.filter(KeptUpload.Columns.ownerHash == ownerHash && KeptUpload.Columns.vacancyId == vacancyId)
            let names = try String.fetchAll(db, kept.select(KeptUpload.Columns.storageName))
            try kept.deleteAll(db)
            return names
        }
    }

    /// Forgets every kept upload that expired at or before `now`; returns the storage names to remove.
    func dropExpiredKeptUploads(at now: Date) async throws -> [String] {
        try await writer.write { db in
            let expired = KeptUpload.filter(KeptUpload.Columns.expiresAt <= now)
            let names = try String.fetchAll(db, expired.select(KeptUpload.Columns.storageName))
            try expired.deleteAll(db)
            return names
        }
    }
}
