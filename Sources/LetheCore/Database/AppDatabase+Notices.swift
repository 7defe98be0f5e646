import Foundation
import GRDB

extension AppDatabase {
    /// Publishes a new version of a notice; earlier versions stay as they were.
    @discardableResult
    public func publishNotice(kind: Notice.Kind, english: String, danish: String, by user: StaffUser, at now: Date) async throws -> Notice {
        try await writer.write { db in
            let latest = try Notice.filter(Notice.Columns.kind == kind.rawValue).select(max(Notice.Columns.version), as: Int.self).fetchOne(db) ?? 0
            var notice = Notice(kind: kind, version: latest + 1, body: english, bodyDa: danish, publishedAt: now, publishedBy: user.id)
            try notice.insert(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "notice.published", subjectType: "notice", subjectId: notice.id, detail: "kind=\(kind.rawValue) version=\(notice.version)")
            return notice
        }
    }

    /// Every version of every notice, newest first within each kind.
    public func allNotices() async throws -> [Notice] {
        try await writer.read { db in try Notice.order(Notice.Columns.kind, Notice.Columns.version.desc).fetchAll(db) }
    }

    /// One notice version.
    public func notice(id: Int64) async throws -> Notice? {
        try await writer.read { db in try Notice.fetchOne(db, key: id) }
    }

    /// The current version of each kind of notice.
    public func currentNotices() async throws -> [Notice.Kind: Notice] {
        try await writer.read { db in
            var result: [Notice.Kind: Notice] = [:]
            for kind in Notice.Kind.allCases {
                result[kind] = try Self.currentNotice(db, kind: kind)
            }
            return result
        }
    }

    /// Publishes the first version of every kind of notice that has none yet, naming
    /// `controller` and the retention period of `policy`.
    public func publishDefaultNotices(at date: Date, controller: DataController, policy: RetentionPolicy) async throws {
        try await writer.write { db in
            for kind in Notice.Kind.allCases where try Self.currentNotice(db, kind: kind) == nil {
                var notice = Notice(
                    kind: kind, version: 1, body: DefaultNotices.body(of: kind, controller: controller, policy: policy),
                    bodyDa: DefaultNotices.danishBody(of: kind, controller: controller, policy: policy), publishedAt: date
                )
                try notice.insert(db)
                try AuditLog.append(
                    db, at: date, actor: .system, action: "notice.published", subjectType: "notice", subjectId: notice.id,
                    detail: "kind=\(kind.rawValue) version=1"
                )
            }
        }
    }

    /// The version to record as acknowledged: the one the form showed, if it is still the
    /// current version of its kind or was replaced less than ``Notice/supersededGrace`` ago.
    static func acknowledgeableNotice(_ db: Database, kind: Notice.Kind, shown id: Int64?, at now: Date) throws -> Notice {
        // Cached statements: every application asks this of each notice it acknowledges.
        guard let id, let shown = try Notice.fetchOne(db.cachedStatement(sql: "SELECT * FROM notice WHERE id = ?"), arguments: [id]), shown.kind == kind
        else { throw TermsChanged() }
        let successor = try Notice.fetchOne(db.cachedStatement(sql: "SELECT * FROM notice WHERE kind = ? AND version = ?"), arguments: [kind.rawValue, shown.version + 1])
        guard let successor else { return shown }
        guard now.timeIntervalSince(successor.publishedAt) < Notice.supersededGrace else { throw TermsChanged() }
        return shown
    }

    /// The newest version of a kind of notice.
    static func currentNotice(_ db: Database, kind: Notice.Kind) throws -> Notice? {
        try Notice.fetchOne(db.cachedStatement(sql: "SELECT * FROM notice WHERE kind = ? ORDER BY version DESC LIMIT 1"), arguments: [kind.rawValue])
    }
}
