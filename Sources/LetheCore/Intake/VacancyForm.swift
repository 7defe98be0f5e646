import Foundation

/// The fields of HR's vacancy form, before validation.
public struct VacancyForm: Sendable, Equatable {
    /// Raw values by field name (`title`, `description`, `location`, `closes_on`, `international`,
    /// `transfer_country`, `transfer_recipient`, `transfer_safeguard`).
    public var values: [String: String]

    /// Creates a form from raw values.
    public init(values: [String: String] = [:]) { self.values = values }

    /// The form filled from a stored vacancy.
    public init(vacancy: Vacancy, destination: TransferDestination?) {
        var values = ["title": vacancy.title, "description": vacancy.description, "location": vacancy.location, "closes_on": vacancy.closesOn]
        if vacancy.international { values["international"] = "yes" }
        if let destination {
            values["transfer_country"] = destination.country
            values["transfer_recipient"] = destination.recipient
            values["transfer_safeguard"] = destination.safeguard.rawValue
        }
        self.values = values
    }

    /// A validated vacancy form.
    public struct Valid: Sendable, Equatable {
        public var title: String
        public var description: String
        public var location: String
        public var closesOn: String
        public var destination: (country: String, recipient: String, safeguard: TransferDestination.Safeguard)?

        public static func == (a: Valid, b: Valid) -> Bool {
            a.title == b.title && a.description == b.description && a.location == b.location && a.closesOn == b.closesOn
                && a.destination?.country == b.destination?.country && a.destination?.recipient == b.destination?.recipient
                && a.destination?.safeguard == b.destination?.safeguard
        }
    }

    private func value(_ field: String) -> String? {
        let trimmed = values[field]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Checks every field; `today` is the earliest allowed closing day for a new vacancy. An
    /// existing vacancy's destinations are managed one by one, so its form has none.
    public func validate(today: String?, withDestination: Bool = true) -> Result<Valid, FieldErrors> {
        var errors = FieldErrors()
        let limits = ["title": 200, "description": 20_000, "location": 200, "transfer_recipient": 300]
        for (field, limit) in limits where (values[field]?.count ?? 0) > limit {
            errors[field] = "This is too long: at most \(limit) characters."
        }
        let title = value("title"), description = value("description"), location = value("location")
        if title == nil { errors["title"] = "Enter the vacancy's title." }
        if description == nil { errors["description"] = "Describe the vacancy." }
        if location == nil { errors["location"] = "Enter where the job is." }
        let closesOn = value("closes_on")
        if let closesOn, DayFormat.date(from: closesOn) != nil {
            if let today, closesOn < today { errors["closes_on"] = "The closing date must not be in the past." }
        } else {
            errors["closes_on"] = "Enter the last day for applications as a date, e.g. 2027-03-31."
        }
        var destination: (String, String, TransferDestination.Safeguard)?
        if !withDestination {
            // Destinations of an existing vacancy are added and removed on their own.
        } else if value("international") == "yes" {
            let country = value("transfer_country")?.uppercased()
            if country == nil || country!.count != 2 || !country!.allSatisfy({ $0.isASCII && $0.isLetter }) {
                errors["transfer_country"] = "Enter the destination country as a two-letter ISO code, e.g. US."
            }
            let recipient = value("transfer_recipient")
            if recipient == nil { errors["transfer_recipient"] = "Name the partner that receives the data." }
            let safeguard = value("transfer_safeguard").flatMap(TransferDestination.Safeguard.init(rawValue:))
            if safeguard == nil { errors["transfer_safeguard"] = "Choose the safeguard that protects the transfer." }
            if let country, let recipient, let safeguard { destination = (country, recipient, safeguard) }
        } else if let international = value("international"), international != "yes" {
            errors["international"] = "Tick the box for an international position, or leave it empty."
        }
        guard errors.isEmpty, let title, let description, let location, let closesOn else { return .failure(errors) }
        return .success(Valid(title: title, description: description, location: location, closesOn: closesOn, destination: destination))
    }
}
