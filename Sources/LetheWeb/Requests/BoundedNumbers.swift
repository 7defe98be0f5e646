import Hummingbird

/// Every number that arrives in a URL or a form is parsed into a bounded range before any
/// arithmetic; anything else (not a number, empty, repeated) is nil.
enum BoundedNumber {
    /// The integer in `text` if it is plain decimal digits (an optional leading minus) and
    /// inside `range`; otherwise nil.
    static func parse(_ text: String?, in range: ClosedRange<Int>) -> Int? {
        guard let text, !text.isEmpty, text.utf8.count <= 20, let value = Int(text), range.contains(value) else { return nil }
        return value
    }

    /// The integer in `text` brought into `range`: below it gives the lower bound, above it
    /// (however many digits) the upper bound. Nil when `text` is not decimal digits.
    static func clamped(_ text: String?, to range: ClosedRange<Int>) -> Int? {
        guard let text, text.utf8.count <= 64 else { return nil }
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        if negative { return range.lowerBound }
        guard let value = Int(digits) else { return range.upperBound }
        return min(max(value, range.lowerBound), range.upperBound)
    }
}

extension Request {
    /// A query number brought into `range` (see ``BoundedNumber/clamped(_:to:)``), or nil when
    /// absent, not a number, or given more than once.
    func queryNumber(_ name: String, clampedTo range: ClosedRange<Int>) -> Int? {
        let values = uri.queryParameters.getAll(name)
        guard values.count == 1 else { return nil }
        return BoundedNumber.clamped(values[0], to: range)
    }
}
