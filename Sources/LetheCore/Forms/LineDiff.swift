import Foundation

/// The lines of a new text against an old one, in order: kept, removed or added. Blank lines
/// and surrounding spaces are ignored (a notice's paragraphs are what matter).
public struct LineDiff: Sendable, Equatable {
    /// One line of the comparison.
    public struct Line: Sendable, Equatable {
        public enum Change: String, Sendable { case same, removed, added }
        public let change: Change
        public let text: String
    }

    public let lines: [Line]

    /// Whether the new text has the same lines as the old.
    public var isUnchanged: Bool { lines.allSatisfy { $0.change == .same } }

    /// Compares `new` with `old`.
    public init(old: String, new: String) {
        let before = Self.lines(of: old), after = Self.lines(of: new)
        let difference = after.difference(from: before)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // Lines neither removed nor inserted are common to both, in the same order.
        var result: [Line] = []
        var i = 0, j = 0
        while i < before.count || j < after.count {
            if i < before.count, removed.contains(i) {
                result.append(Line(change: .removed, text: before[i])); i += 1
            } else if j < after.count, inserted.contains(j) {
                result.append(Line(change: .added, text: after[j])); j += 1
            } else {
                result.append(Line(change: .same, text: after[j])); i += 1; j += 1
            }
        }
        lines = result
    }

    static func lines(of text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
