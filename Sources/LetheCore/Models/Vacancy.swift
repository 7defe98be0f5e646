import Foundation
import GRDB

/// A position that applicants can apply to.
public struct Vacancy: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
    /// Whether the vacancy accepts applications.
    public enum Status: String, Codable, Sendable, DatabaseValueConvertible {
        case open, closed
    }

    public var id: Int64?
    public var title: String
    public var description: String
    public var location: String
    /// Last day (inclusive, `YYYY-MM-DD`, UTC) on which applications are accepted.
    public var closesOn: String
    /// Whether applicant data may be transferred to partners outside the EU/EEA.
    public var international: Bool
    public var status: Status
    public var createdAt: Date
    public var updatedAt: Date

    public static let databaseTableName = "vacancy"

    /// The table's columns.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let status = Column(CodingKeys.status)
        public static let closesOn = Column(CodingKeys.closesOn)
        public static let title = Column(CodingKeys.title)
    }

    /// Creates a vacancy.
    public init(
        id: Int64? = nil, title: String, description: String, location: String, closesOn: String,
        international: Bool, status: Status = .open, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.location = location
        self.closesOn = closesOn
        self.international = international
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// Whether the vacancy takes applications at `date`: open, and its closing day not passed.
    public func acceptsApplications(at date: Date) -> Bool {
        status == .open && closesOn >= DayFormat.string(from: date)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, location
        case closesOn = "closes_on"
        case international, status
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Where an international vacancy's applicant data may be sent, and under which safeguard.
public struct TransferDestination: Codable, Sendable, Identifiable, FetchableRecord, MutablePersistableRecord {
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
        public static let id = Column(CodingKeys.id)
        public static let vacancyId = Column(CodingKeys.vacancyId)
        public static let removedAt = Column(CodingKeys.removedAt)
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

    /// The partners a vacancy names now, oldest first.
    public static func current(ofVacancy vacancyId: Int64) -> QueryInterfaceRequest<TransferDestination> {
        filter(Columns.vacancyId == vacancyId && Columns.removedAt == nil).order(Columns.id)
    }

    /// `US: Partner Inc. (scc)`: the destination as recorded with an acknowledgement.
    public var summary: String { "\(country): \(recipient) (\(safeguard.rawValue))" }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case vacancyId = "vacancy_id"
        case country, recipient, safeguard
        case removedAt = "removed_at"
    }
}

/// Formats calendar days as `YYYY-MM-DD` in UTC, the one day format of the database.
public enum DayFormat {
    /// The UTC day of `date`.
    public static func string(from date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// The start (00:00 UTC) of a `YYYY-MM-DD` day, or nil when it is not a real date.
    public static func date(from string: String) -> Date? {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        let comps = DateComponents(year: y, month: m, day: d)
        guard comps.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: comps)
    }

    /// The Gregorian calendar in UTC.
    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}
