import Foundation

/// What a panel member sees of the panel's assessments of one application. Scoring is blind: a
/// member sees colleagues' scores and notes, and the averages, only once they have submitted
/// their own, so that no one's judgement leans on another's. Before that they learn only how
/// many colleagues have assessed.
public struct BlindScorecard<Entry: Sendable>: Sendable {
    /// The assessments the viewer may read (their own included); empty before they assessed.
    public let visible: [Entry]
    /// Colleagues' assessments kept from the viewer until they assess.
    public let hiddenCount: Int
    /// The viewer's own assessment, if any.
    public let mine: Entry?
    /// Mean of each criterion over the visible assessments (competencies, qualifications,
    /// experience) and of the three together; nil when nothing is visible.
    public let averages: Averages?

    /// The mean scores of a set of assessments.
    public struct Averages: Sendable, Equatable {
        public let competencies: Double
        public let qualifications: Double
        public let experience: Double
        public let overall: Double
    }

    /// Applies the rule to `entries` (each with its assessment) for the staff member `viewer`.
    public init(_ entries: [Entry], viewer: Int64, assessment: (Entry) -> Assessment) {
        let mine = entries.first { assessment($0).staffUserId == viewer }
        self.mine = mine
        if mine != nil {
            visible = entries
            hiddenCount = 0
            let scores = entries.map(assessment)
            let count = Double(scores.count)
            let c = Double(scores.map(\.competencies).reduce(0, +)) / count
            let q = Double(scores.map(\.qualifications).reduce(0, +)) / count
            let e = Double(scores.map(\.experience).reduce(0, +)) / count
            averages = Averages(competencies: c, qualifications: q, experience: e, overall: (c + q + e) / 3)
        } else {
            visible = []
            hiddenCount = entries.count
            averages = nil
        }
    }
}
