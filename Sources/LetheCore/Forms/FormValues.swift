/// The raw text fields of a submitted form, by name, with the rules every form shares.
public struct FormValues: Sendable, Equatable {
    /// Raw values by field name.
    public var raw: [String: String]

    /// Wraps raw values.
    public init(_ raw: [String: String] = [:]) { self.raw = raw }

    /// A trimmed value, nil when absent or blank.
    public subscript(_ field: String) -> String? {
        guard let value = raw[field]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// A message for each field longer than its limit.
    public func overLimit(_ limits: [String: Int]) -> FieldErrors {
        var errors = FieldErrors()
        for (field, limit) in limits where (raw[field]?.count ?? 0) > limit {
            errors[field] = Phrase("form.tooLong", ["limit": limit.groupedDigits])
        }
        return errors
    }

    /// Whether `field` holds a real `YYYY-MM-DD` day no later than `today`.
    func isPastDay(_ field: String, today: String) -> Bool {
        guard let day = self[field], DayFormat.date(from: day) != nil else { return false }
        return day <= today
    }
}

/// What a form says about a field: a key of the language catalogues and the values it names.
/// The core never words a message; the web layer says it in the reader's language.
public struct Phrase: Sendable, Equatable, Hashable, ExpressibleByStringLiteral {
    public let key: String
    public let values: [String: String]

    /// A phrase with the values its text names (`{limit}`).
    public init(_ key: String, _ values: [String: String] = [:]) {
        self.key = key
        self.values = values
    }

    public init(stringLiteral key: String) { self.init(key) }

    /// The phrase in the words of the task's reader (set per request by the web layer); the
    /// key itself where none is set.
    public var text: String { Self.words.word(self) }

    /// How phrases are worded in this task.
    @TaskLocal public static var words = Wording { $0.key }

    /// How to word a phrase, as a task-local value. A class, not a bare closure: with a
    /// function type as its value, the optimizer of Swift 6.3.1 specialised
    /// `TaskLocal.withValue` with a null type metadata, and the release build crashed on its
    /// first request (`swift_task_localValuePush`).
    public final class Wording: Sendable {
        let word: @Sendable (Phrase) -> String

        public init(_ word: @escaping @Sendable (Phrase) -> String) { self.word = word }
    }
}

/// Messages for fields that failed validation, by field name.
public struct FieldErrors: Sendable, Equatable, Error {
    /// The messages.
    public var messages: [String: Phrase] = [:]

    /// Creates a set of errors.
    public init(_ messages: [String: Phrase] = [:]) { self.messages = messages }

    /// The message of one field.
    public subscript(field: String) -> Phrase? {
        get { messages[field] }
        set { messages[field] = newValue }
    }

    /// The message of one field, worded for the reader.
    public func text(_ field: String) -> String? { messages[field]?.text }

    /// Whether no field failed.
    public var isEmpty: Bool { messages.isEmpty }

    /// Every message once, in field order, worded for the reader: for forms that show one
    /// summary, not per field.
    public var summary: String {
        var seen = Set<String>()
        return messages.keys.sorted().compactMap { messages[$0]?.text }.filter { seen.insert($0).inserted }.joined(separator: " ")
    }
}

extension Int {
    /// `10,000`: a limit as a reader writes it.
    public var groupedDigits: String {
        let digits = String(self)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
