import Foundation
import GRDB

/// Where an international vacancy's applicant data may be sent, and under which safeguard.
public struct TransferDestination: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    /// The legal instrument that protects the transfer (GDPR chapter V).
    public enum Safeguard: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case adequacy, scc, bcr, derogation

        /// The safeguard's name as a reader understands it.
        public var title: String {
            switch self {
            case .adequacy: "an adequacy decision of the European Commission (Art. 45 GDPR)"
            case .scc: "standard contractual clauses adopted by the European Commission (Art. 46(2)(c) GDPR)"
            case .bcr: "binding corporate rules approved by a supervisory authority (Art. 47 GDPR)"
            case .derogation: "a derogation for a specific situation (Art. 49 GDPR)"
            }
        }
    }

    public var id: Int64?
    public var vacancyId: Int64
    /// ISO 3166-1 alpha-2 code, upper case.
    public var country: String
    public var recipient: String
    public var safeguard: Safeguard
    /// When HR took the partner off the vacancy; it stays on record for those told about it.
    public var removedAt: Date?

    public static let databaseTableName = "transfer_destination"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let vacancyId = Column("vacancy_id")
        public static let country = Column("country")
        public static let recipient = Column("recipient")
        public static let safeguard = Column("safeguard")
        public static let removedAt = Column("removed_at")
    }

    /// Creates a destination.
    public init(id: Int64? = nil, vacancyId: Int64, country: String, recipient: String, safeguard: Safeguard, removedAt: Date? = nil) {
        self.id = id
        self.vacancyId = vacancyId
        self.country = country
        self.recipient = recipient
        self.safeguard = safeguard
        self.removedAt = removedAt
    }

    /// The partners a vacancy names now, oldest first. A cached statement: every vacancy page
    /// and every application reads them.
    public static func current(_ db: Database, vacancyId: Int64) throws -> [TransferDestination] {
        try fetchAll(db.cachedStatement(sql: "SELECT * FROM transfer_destination WHERE vacancy_id = ? AND removed_at IS NULL ORDER BY id"), arguments: [vacancyId])
    }

    /// `US: Partner Inc. (scc)`: the destination as recorded with an acknowledgement.
    public var summary: String { "\(country): \(recipient) (\(safeguard.rawValue))" }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A partner an applicant was told about, in the transfer notice they acknowledged.
public struct AcknowledgedDestination: Codable, Sendable, SnakeCaseRecord, PersistableRecord {
    public var applicationId: Int64
    public var destinationId: Int64

    public static let databaseTableName = "acknowledged_destination"

    /// The partner.
    public static let destination = belongsTo(TransferDestination.self)

    /// Records that the applicant was told about the partner.
    public init(applicationId: Int64, destinationId: Int64) {
        self.applicationId = applicationId
        self.destinationId = destinationId
    }
}
