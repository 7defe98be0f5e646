import Foundation
import GRDB

/// A question HR asks every applicant to a vacancy, answered on the application form and shown
/// to the panel beside the CV. Fixed once anyone has applied.
public struct ScreeningQuestion: Codable, Sendable, Identifiable, SnakeCaseRecord, MutablePersistableRecord {
    /// What kind of answer it takes.
    public enum Kind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        /// A short text, one line.
        case text
        /// Yes or no.
        case yesNo = "yes_no"
    }

    public var id: Int64?
    public var vacancyId: Int64
    /// 1...``slots``, the order on the form.
    public var position: Int
    public var kind: Kind
    public var text: String

    public static let databaseTableName = "screening_question"
    /// How many questions a vacancy may ask.
    public static let slots = 3
    /// The longest question, and the longest text answer.
    public static let questionLimit = 300
    public static let answerLimit = 500

    /// The table's columns.
    public enum Columns {
        public static let vacancyId = Column("vacancy_id")
        public static let position = Column("position")
    }

    /// A question of a vacancy.
    public init(id: Int64? = nil, vacancyId: Int64, position: Int, kind: Kind, text: String) {
        self.id = id
        self.vacancyId = vacancyId
        self.position = position
        self.kind = kind
        self.text = text
    }

    /// The application form's field for its answer.
    public var fieldName: String { "answer_\(id ?? 0)" }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
