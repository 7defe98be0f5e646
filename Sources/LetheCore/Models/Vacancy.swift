import Foundation
import GRDB

/// A position that applicants can apply to.
public struct Vacancy: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    /// Whether HR has closed the vacancy by hand.
    public enum Status: String, Codable, Sendable, DatabaseValueConvertible {
        case open, closed
    }

    /// The kind of employment offered.
    public enum EmploymentType: String, Codable, Sendable, CaseIterable {
        case permanent, fixedTerm = "fixed_term", temporary, internship
    }

    /// Where the vacancy is in its life: a draft only HR sees; published (taking applications);
    /// closed (by HR, or by its closing day passing); archived (put away, hidden from lists).
    public enum Stage: String, Sendable, CaseIterable {
        case draft, published, closed, archived
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
    /// When HR published it; nil while it is a draft.
    public var publishedAt: Date?
    /// When HR archived it; nil otherwise.
    public var archivedAt: Date?
    /// What recruiters expect to read on a vacancy; empty when not given.
    public var employmentType: String = ""
    /// E.g. "37 hours a week".
    public var hours: String = ""
    /// E.g. "According to the collective agreement".
    public var salary: String = ""
    /// Who to ask about the position, and how.
    public var contact: String = ""

    public static let databaseTableName = "vacancy"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let title = Column("title")
        public static let description = Column("description")
        public static let location = Column("location")
        public static let closesOn = Column("closes_on")
        public static let international = Column("international")
        public static let status = Column("status")
        public static let createdAt = Column("created_at")
        public static let updatedAt = Column("updated_at")
        public static let publishedAt = Column("published_at")
        public static let archivedAt = Column("archived_at")
        public static let employmentType = Column("employment_type")
        public static let hours = Column("hours")
        public static let salary = Column("salary")
        public static let contact = Column("contact")
    }

    /// Every application to the vacancy.
    public static let applications = hasMany(JobApplication.self)
    /// Every partner the vacancy has named, removed ones included.
    public static let destinations = hasMany(TransferDestination.self)
    /// The seats on its hiring panel.
    public static let panelMemberships = hasMany(PanelMembership.self)

    /// Creates a vacancy, published at once unless it is a `draft`.
    public init(
        id: Int64? = nil, title: String, description: String, location: String, closesOn: String,
        international: Bool, status: Status = .open, createdAt: Date, updatedAt: Date? = nil, draft: Bool = false
    ) {
        publishedAt = draft ? nil : createdAt
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

    /// Whether the vacancy takes applications at `date`: published, not closed or archived,
    /// and its closing day not passed.
    public func acceptsApplications(at date: Date) -> Bool {
        stage(at: date) == .published
    }

    /// Its stage at `date`; past its closing day a published vacancy is closed.
    public func stage(at date: Date) -> Stage {
        if archivedAt != nil { return .archived }
        if publishedAt == nil { return .draft }
        if status == .closed || closesOn < DayFormat.string(from: date) { return .closed }
        return .published
    }

    /// The same vacancy with its facts.
    public func with(employmentType: EmploymentType?, hours: String = "", salary: String = "", contact: String = "") -> Vacancy {
        var copy = self
        copy.employmentType = employmentType?.rawValue ?? ""
        copy.hours = hours
        copy.salary = salary
        copy.contact = contact
        return copy
    }

    /// Whether anyone but HR may see it: published once, and not archived.
    public var isPublic: Bool { publishedAt != nil && archivedAt == nil }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

// Column by column, not through `Codable`: read or written on every request (see `SnakeCaseRecord`).
extension Vacancy {
    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        title = try row.decode(forColumn: Columns.title)
        description = try row.decode(forColumn: Columns.description)
        location = try row.decode(forColumn: Columns.location)
        closesOn = try row.decode(forColumn: Columns.closesOn)
        international = try row.decode(forColumn: Columns.international)
        status = try row.decode(forColumn: Columns.status)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        updatedAt = try row.decode(forColumn: Columns.updatedAt)
        publishedAt = try row.decode(forColumn: Columns.publishedAt)
        archivedAt = try row.decode(forColumn: Columns.archivedAt)
        employmentType = try row.decode(forColumn: Columns.employmentType)
        hours = try row.decode(forColumn: Columns.hours)
        salary = try row.decode(forColumn: Columns.salary)
        contact = try row.decode(forColumn: Columns.contact)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.title] = title
        container[Columns.description] = description
        container[Columns.location] = location
        container[Columns.closesOn] = closesOn
        container[Columns.international] = international
        container[Columns.status] = status
        container[Columns.createdAt] = createdAt
        container[Columns.updatedAt] = updatedAt
        container[Columns.publishedAt] = publishedAt
        container[Columns.archivedAt] = archivedAt
        container[Columns.employmentType] = employmentType
        container[Columns.hours] = hours
        container[Columns.salary] = salary
        container[Columns.contact] = contact
    }
}
