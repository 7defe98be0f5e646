import Crypto
import Foundation
import GRDB

/// One entry of the append-only audit log. It holds ids and actions, never personal data.
public struct AuditEvent: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    /// Milliseconds since 1970, stored exactly so that the hash can be recomputed.
    public var occurredAtMillis: Int64
    /// Who acted: `applicant`, `staff:<id>`, `system` or `anonymous`.
    public var actor: String
    /// What happened, e.g. `application.submitted`.
    public var action: String
    public var subjectType: String?
    public var subjectId: Int64?
    /// Further ids, `key=value` separated by spaces; never names, e-mails or file names.
    public var detail: String
    public var previousHash: String
    public var hash: String

    public static let databaseTableName = "audit_event"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let occurredAt = Column("occurred_at")
        public static let actor = Column("actor")
        public static let action = Column("action")
        public static let subjectType = Column("subject_type")
        public static let subjectId = Column("subject_id")
        public static let detail = Column("detail")
        public static let previousHash = Column("previous_hash")
        public static let hash = Column("hash")
    }

    /// When it happened.
    public var occurredAt: Date { Date(timeIntervalSince1970: Double(occurredAtMillis) / 1000) }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The hash this event must carry, given its fields and its predecessor's hash.
    func computedHash() -> String {
        let subjectIdText = subjectId.map(String.init) ?? ""
        let canonical = [String(occurredAtMillis), actor, action, subjectType ?? "", subjectIdText, detail, previousHash]
            .joined(separator: "\u{1F}")
        return SHA256.hash(data: Data(canonical.utf8)).hexString
    }

    enum CodingKeys: String, CodingKey {
        case id
        case occurredAtMillis = "occurred_at"
        case actor, action
        case subjectType = "subject_type"
        case subjectId = "subject_id"
        case detail
        case previousHash = "previous_hash"
        case hash
    }
}

// Column by column, not through `Codable`: every panel page and every application appends one
// (bench/README.md, thirteenth pass).
extension AuditEvent {
    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        occurredAtMillis = try row.decode(forColumn: Columns.occurredAt)
        actor = try row.decode(forColumn: Columns.actor)
        action = try row.decode(forColumn: Columns.action)
        subjectType = try row.decode(forColumn: Columns.subjectType)
        subjectId = try row.decode(forColumn: Columns.subjectId)
        detail = try row.decode(forColumn: Columns.detail)
        previousHash = try row.decode(forColumn: Columns.previousHash)
        hash = try row.decode(forColumn: Columns.hash)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.occurredAt] = occurredAtMillis
        container[Columns.actor] = actor
        container[Columns.action] = action
        container[Columns.subjectType] = subjectType
        container[Columns.subjectId] = subjectId
        container[Columns.detail] = detail
        container[Columns.previousHash] = previousHash
        container[Columns.hash] = hash
    }
}

/// Who performed an audited action.
public enum AuditActor: Sendable, Equatable {
    case applicant
    case staff(Int64)
    case system
    case anonymous

    /// A stored staff account (one read from the database, so it has its id).
    public static func staff(_ user: StaffUser) -> AuditActor {
        guard let id = user.id else { preconditionFailure("an audit actor must be a stored account") }
        return .staff(id)
    }

    var text: String {
        switch self {
        case .applicant: "applicant"
        case .staff(let id): "staff:\(id)"
        case .system: "system"
        case .anonymous: "anonymous"
        }
    }
}

/// The hash-chained audit log: appending links each event to the one before.
public enum AuditLog {
    /// The `previous_hash` of the first event.
    static let genesis = String(repeating: "0", count: 64)

    /// Appends an event inside the caller's transaction, so it commits or rolls back with the change.
    @discardableResult
    public static func append(
        _ db: Database, at date: Date, actor: AuditActor, action: String,
        subjectType: String? = nil, subjectId: Int64? = nil, detail: String = ""
    ) throws -> AuditEvent {
        let previous = try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")) ?? genesis
        var event = AuditEvent(
            id: nil, occurredAtMillis: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)), actor: actor.text, action: action,
            subjectType: subjectType, subjectId: subjectId, detail: detail, previousHash: previous, hash: ""
        )
        event.hash = event.computedHash()
        try event.insert(db)
        return event
    }

    /// The outcome of checking the chain.
    public enum Verification: Sendable, Equatable {
        /// Every event links to its predecessor and matches its hash.
        case intact(events: Int)
        /// The first event whose hash or link does not match.
        case broken(eventId: Int64, reason: String)
    }

    /// Walks the whole chain in id order.
    public static func verify(_ db: Database) throws -> Verification {
        var previous = genesis
        var count = 0
        let cursor = try AuditEvent.order(AuditEvent.Columns.id).fetchCursor(db)
        while let event = try cursor.next() {
            if event.previousHash != previous {
                return .broken(eventId: event.id ?? 0, reason: "does not link to the event before it")
            }
            if event.computedHash() != event.hash {
                return .broken(eventId: event.id ?? 0, reason: "its content does not match its hash")
            }
            previous = event.hash
            count += 1
        }
        return .intact(events: count)
    }
}
