/// Why a reference check or a transfer cannot be recorded (409, with this text).
public enum RecordingRefused: Error, Equatable, CustomStringConvertible {
    /// The applicant did not permit contacting this reference, or withdrew the permission.
    case noReferencePermission
    /// The vacancy is not international, so nothing may go outside the EU/EEA.
    case notInternational
    /// The applicant was not shown, or did not acknowledge, the transfer notice.
    case transferNotAcknowledged
    /// The destination is not one of this vacancy's.
    case unknownDestination
    /// The applicant was not told about this partner when applying, or HR has since removed it.
    case partnerNotAcknowledged

    public var description: String {
        switch self {
        case .noReferencePermission: "The applicant has not given permission to contact this reference (or has withdrawn it), so no check can be recorded."
        case .notInternational: "This vacancy is not international: its applications may not be shared outside the EU/EEA."
        case .transferNotAcknowledged: "The applicant did not acknowledge the transfer notice, so the application may not be shared outside the EU/EEA."
        case .unknownDestination: "Choose one of this vacancy's transfer destinations."
        case .partnerNotAcknowledged: "The applicant was not told about this partner when they applied (or it has since been removed), so the application may not be shared with it."
        }
    }
}
