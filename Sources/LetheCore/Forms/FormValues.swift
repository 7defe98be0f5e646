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
            errors[field] = "This is too long: at most \(limit.groupedDigits) characters."
        }
        return errors
    }

    /// Whether `field` holds a real `YYYY-MM-DD` day no later than `today`.
    func isPastDay(_ field: String, today: String) -> Bool {
        guard let day = self[field], DayFormat.date(from: day) != nil else { return false }
        return day <= today
    }
}

/// Messages for fields that failed validation, by field name.
public struct FieldErrors: Sendable, Equatable, Error {
    /// The messages.
    public var messages: [String: String] = [:]

    /// Creates a set of errors.
    public init(_ messages: [String: String] = [:]) { self.messages = messages }

    /// The message of one field.
    public subscript(field: String) -> String? {
        get { messages[field] }
        set { messages[field] = newValue }
    }

    /// Whether no field failed.
    public var isEmpty: Bool { messages.isEmpty }

    /// Every message once, in field order: for forms that show one summary, not per field.
    public var summary: String {
        var seen = Set<String>()
        return messages.keys.sorted().compactMap { messages[$0] }.filter { seen.insert($0).inserted }.joined(separator: " ")
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
