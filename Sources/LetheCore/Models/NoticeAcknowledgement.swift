import Foundation
import GRDB

/// The record that an applicant was shown, and acknowledged, one version of a notice.
public struct NoticeAcknowledgement: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    public var id: Int64?
    public var applicationId: Int64
    public var noticeId: Int64
    public var acknowledgedAt: Date
    /// What was listed with the notice (for a transfer notice: each destination's country,
    /// recipient and safeguard), so the record shows exactly what the applicant was told.
    public var shownDetail: String
    /// The language of the text shown (`da`, `en`): the record proves that text, by its hash.
    public var language: String

    public static let databaseTableName = "notice_acknowledgement"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let applicationId = Column("application_id")
        public static let noticeId = Column("notice_id")
        public static let acknowledgedAt = Column("acknowledged_at")
        public static let shownDetail = Column("shown_detail")
        public static let language = Column("language")
    }

    /// The version acknowledged.
    public static let notice = belongsTo(Notice.self)

    /// Creates an acknowledgement.
    public init(id: Int64? = nil, applicationId: Int64, noticeId: Int64, acknowledgedAt: Date, shownDetail: String = "", language: String = "en") {
        self.language = language
        self.id = id
        self.applicationId = applicationId
        self.noticeId = noticeId
        self.acknowledgedAt = acknowledgedAt
        self.shownDetail = shownDetail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

// Column by column, not through `Codable`: read or written on every request (see `SnakeCaseRecord`).
extension NoticeAcknowledgement {
    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        applicationId = try row.decode(forColumn: Columns.applicationId)
        noticeId = try row.decode(forColumn: Columns.noticeId)
        acknowledgedAt = try row.decode(forColumn: Columns.acknowledgedAt)
        shownDetail = try row.decode(forColumn: Columns.shownDetail)
        language = try row.decode(forColumn: Columns.language)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.applicationId] = applicationId
        container[Columns.noticeId] = noticeId
        container[Columns.acknowledgedAt] = acknowledgedAt
        container[Columns.shownDetail] = shownDetail
        container[Columns.language] = language
    }
}
