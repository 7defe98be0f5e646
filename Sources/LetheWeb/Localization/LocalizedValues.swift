import Foundation
import LetheCore

extension RetentionPolicy {
    /// A number of months as a reader of the localizer's language says it.
    static func monthsText(_ months: Int, in localizer: Localizer) -> String {
        monthsText(months, language: localizer.language.rawValue)
    }
}

extension StaffAccountError {
    /// The reason as a sentence in the reader's language (the command line keeps `description`).
    var localizedSentence: String {
        let key = switch self {
        case .invalidEmail: "invalidEmail"
        case .emptyName: "emptyName"
        case .passwordTooShort: "passwordTooShort"
        case .passwordTooLong: "passwordTooLong"
        case .passwordOverBcryptLimit: "passwordOverBcryptLimit"
        case .commonPassword: "commonPassword"
        case .passwordContainsAccountDetails: "passwordContainsAccountDetails"
        case .passwordsDiffer: "passwordsDiffer"
        case .wrongCurrentPassword: "wrongCurrentPassword"
        case .invalidResetCode: "invalidResetCode"
        case .emailTaken: "emailTaken"
        }
        return T("accountError.\(key)", ["min": String(StaffPassword.minimumLength), "max": String(StaffPassword.maximumLength)])
    }
}

extension RecordingRefused {
    /// Why the core refused to record, in the reader's language.
    var localized: String {
        let key = switch self {
        case .noReferencePermission: "noReferencePermission"
        case .notInternational: "notInternational"
        case .transferNotAcknowledged: "transferNotAcknowledged"
        case .unknownDestination: "unknownDestination"
        case .partnerNotAcknowledged: "partnerNotAcknowledged"
        }
        return T("refused.\(key)")
    }
}

extension ConsentError {
    /// Why HR's consent was refused, in the reader's language.
    var localized: String {
        switch self {
        case .beyondMaximum(let lastDay): T("consentError.beyondMaximum", ["date": Formatting.day(lastDay)])
        case .notInFuture: T("consentError.notInFuture")
        case .missingEvidence: T("consentError.missingEvidence")
        }
    }
}
