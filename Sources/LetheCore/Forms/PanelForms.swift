import Foundation

/// A panel member's assessment: three scores from 1 to 5, and notes.
public struct AssessmentForm: Sendable {
    public static let limits = ["notes": 10_000]
    public static let scoreFields = ["competencies", "qualifications", "experience"]
    public static let scores = 1...5

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    /// The validated assessment.
    public struct Valid: Sendable, Equatable {
        public var competencies: Int
        public var qualifications: Int
        public var experience: Int
        public var notes: String

        /// Bundles an assessment.
        public init(competencies: Int, qualifications: Int, experience: Int, notes: String) {
            self.competencies = competencies
            self.qualifications = qualifications
            self.experience = experience
            self.notes = notes
        }
    }

    public func validate() -> Result<Valid, FieldErrors> {
        var errors = values.overLimit(Self.limits)
        if errors["notes"] != nil { errors["notes"] = Phrase("assessment.error.notes", ["limit": Self.limits["notes"]!.groupedDigits]) }
        let scores = Self.scoreFields.map { field in values[field].flatMap { Int($0) }.flatMap { Self.scores.contains($0) ? $0 : nil } }
        if scores.contains(nil) {
            errors["scores"] = "assessment.error.scores"
        }
        guard errors.isEmpty, let c = scores[0], let q = scores[1], let e = scores[2] else { return .failure(errors) }
        return .success(Valid(competencies: c, qualifications: q, experience: e, notes: values.raw["notes"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
    }
}

/// A reference check: the day of the contact (not in the future) and what the reference said.
public struct ReferenceCheckForm: Sendable {
    public static let limits = ["summary": 5_000]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    /// The validated check.
    public struct Valid: Sendable, Equatable {
        public var contactedOn: String
        public var summary: String
    }

    public func validate(today: String) -> Result<Valid, FieldErrors> {
        guard values.isPastDay("contacted_on", today: today), let summary = values["summary"], summary.count <= Self.limits["summary"]! else {
            return .failure(FieldErrors(["check": Phrase("check.error", ["limit": Self.limits["summary"]!.groupedDigits])]))
        }
        return .success(Valid(contactedOn: values["contacted_on"]!, summary: summary))
    }
}

/// A transfer to a partner: which partner, the day (not in the future) and what was shared.
public struct TransferForm: Sendable {
    public static let limits = ["what": 1_000]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    /// The validated transfer.
    public struct Valid: Sendable, Equatable {
        public var destinationId: Int64
        public var what: String
        public var sharedOn: String
    }

    public func validate(today: String) -> Result<Valid, FieldErrors> {
        guard let destination = values["destination_id"].flatMap({ Int64($0) }), destination > 0,
              values.isPastDay("shared_on", today: today), let what = values["what"], what.count <= Self.limits["what"]!
        else {
            return .failure(FieldErrors(["transfer": "transfer.error"]))
        }
        return .success(Valid(destinationId: destination, what: what, sharedOn: values["shared_on"]!))
    }
}
