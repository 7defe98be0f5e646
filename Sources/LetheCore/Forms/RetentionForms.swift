import Foundation

/// The applicant's consent to keeping the application longer: 12 or 24 months from today.
public struct ConsentForm: Sendable {
    /// The choices offered.
    public static let months = [12, 24]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    public func validate() -> Result<Int, FieldErrors> {
        guard let months = values["months"].flatMap({ Int($0) }), Self.months.contains(months) else {
            return .failure(FieldErrors(["months": "consent.error.months"]))
        }
        return .success(months)
    }
}

/// Consent HR records from another channel: the last day it covers and the evidence.
public struct RecordedConsentForm: Sendable {
    public static let limits = ["evidence": 1_000]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    /// The validated consent.
    public struct Valid: Sendable, Equatable {
        public var lastDay: String
        public var evidence: String
    }

    public func validate() -> Result<Valid, FieldErrors> {
        guard let lastDay = values["until"], DayFormat.date(from: lastDay) != nil else {
            return .failure(FieldErrors(["until": "consent.error.until"]))
        }
        if (values.raw["evidence"]?.count ?? 0) > Self.limits["evidence"]! {
            return .failure(FieldErrors(["evidence": Phrase("consent.error.evidence", ["limit": Self.limits["evidence"]!.groupedDigits])]))
        }
        return .success(Valid(lastDay: lastDay, evidence: values["evidence"] ?? ""))
    }
}

/// A new version of a notice: which kind, and its text.
public struct NoticeForm: Sendable {
    public static let limits = ["body_da": 20_000, "body_en": 20_000]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    /// The validated notice.
    public struct Valid: Sendable, Equatable {
        public var kind: Notice.Kind
        public var english: String
        public var danish: String
    }

    /// A version is published in both languages or not at all.
    public func validate() -> Result<Valid, FieldErrors> {
        var errors = values.overLimit(Self.limits)
        let kind = values["kind"].flatMap(Notice.Kind.init(rawValue:))
        if kind == nil { errors["kind"] = "notice.error.kind" }
        if errors["body_da"] == nil, values["body_da"] == nil { errors["body_da"] = "notice.error.danish" }
        if errors["body_en"] == nil, values["body_en"] == nil { errors["body_en"] = "notice.error.english" }
        guard errors.isEmpty, let kind, let danish = values["body_da"], let english = values["body_en"] else { return .failure(errors) }
        return .success(Valid(kind: kind, english: english, danish: danish))
    }
}
