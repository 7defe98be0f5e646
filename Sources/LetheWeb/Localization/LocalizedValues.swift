import Foundation
import LetheCore

extension RetentionPolicy {
    /// A number of months as a reader of the localizer's language says it: "six months", "seks måneder".
    static func monthsText(_ months: Int, in localizer: Localizer) -> String {
        let number = localizer.catalogue.strings["number.\(months)"] ?? String(months)
        return localizer.text(months == 1 ? "period.month" : "period.months", ["n": number])
    }
}

extension CharacterSet {
    /// What may stand unescaped in a query value.
    static let urlQueryValueAllowed: CharacterSet = {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?")
        return allowed
    }()
}
