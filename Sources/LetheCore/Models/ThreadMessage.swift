import Foundation
import GRDB

/// One message of an application's thread between its panel and its applicant. It is erased
/// with the application.
public struct ThreadMessage: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    /// Who wrote it.
    public enum Author: String, Codable, Sendable, DatabaseValueConvertible {
        case applicant, staff
    }

    public var id: Int64?
    public var applicationId: Int64
    public var author: Author
    /// The panel member who wrote it (nil for the applicant, or once their account is gone).
    public var staffUserId: Int64?
    /// The subject of a panel message; the applicant's replies have none.
    public var subject: String?
    public var body: String
    public var createdAt: Date

    public static let databaseTableName = "thread_message"

    /// The table's columns.
    public enum Columns {
        public static let id = Column("id")
        public static let applicationId = Column("application_id")
        public static let staffUserId = Column("staff_user_id")
    }

    /// The panel member who wrote it.
    public static let writer = belongsTo(StaffUser.self, key: "writer", using: ForeignKey([Columns.staffUserId]))

    /// A message to store.
    public init(id: Int64? = nil, applicationId: Int64, author: Author, staffUserId: Int64? = nil, subject: String? = nil, body: String, createdAt: Date) {
        self.id = id
        self.applicationId = applicationId
        self.author = author
        self.staffUserId = staffUserId
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A text HR keeps for the panels to start a message from.
public struct MessageTemplate: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    /// What the message is for.
    public enum Purpose: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case interview, rejection, offer

        /// How HR and the panel name it.
        public var label: String {
            switch self {
            case .interview: "Invitation to interview"
            case .rejection: "Rejection"
            case .offer: "Offer"
            }
        }
    }

    public var id: Int64?
    public var purpose: Purpose
    public var subject: String
    public var body: String
    public var updatedAt: Date
    public var updatedBy: Int64?

    public static let databaseTableName = "message_template"

    /// The table's columns.
    public enum Columns {
        public static let purpose = Column("purpose")
    }

    /// A template to store.
    public init(id: Int64? = nil, purpose: Purpose, subject: String, body: String, updatedAt: Date, updatedBy: Int64?) {
        self.id = id
        self.purpose = purpose
        self.subject = subject
        self.body = body
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// What a new database offers until HR writes its own. `{name}` and `{vacancy}` are filled
    /// in when a panel member starts from it.
    public static func standard(_ purpose: Purpose) -> (subject: String, body: String) {
        switch purpose {
        case .interview:
            ("Invitation to interview: {vacancy}", """
            Dear {name},

            Thank you for your application for {vacancy}. We would like to invite you to an interview.

            Please answer this message with the days and times that suit you over the next two weeks.

            Kind regards
            """)
        case .rejection:
            ("Your application for {vacancy}", """
            Dear {name},

            Thank you for your application for {vacancy} and for the interest you have shown in us. After careful consideration we have decided to go on with other candidates.

            We wish you the best of luck.

            Kind regards
            """)
        case .offer:
            ("Offer: {vacancy}", """
            Dear {name},

            We are pleased to offer you the position of {vacancy}. Your contract and the details of the position will follow.

            Please answer this message to tell us whether you accept.

            Kind regards
            """)
        }
    }

    /// The text with `{name}` and `{vacancy}` filled in, as the catalogues fill theirs.
    public static func fill(_ text: String, name: String, vacancy: String) -> String {
        TextPiece.fill(text, ["name": name, "vacancy": vacancy] as KeyValuePairs)
    }
}
