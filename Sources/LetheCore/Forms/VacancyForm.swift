import Foundation

/// A third-country partner, as HR names it: country, recipient, safeguard.
public struct DestinationForm: Sendable {
    public static let limits = ["transfer_country": 2, "transfer_recipient": 300]

    public let values: FormValues

    /// Reads the submitted fields.
    public init(_ values: FormValues) { self.values = values }

    /// The validated partner.
    public struct Valid: Sendable, Equatable {
        public var country: String
        public var recipient: String
        public var safeguard: TransferDestination.Safeguard
    }

    public func validate() -> Result<Valid, FieldErrors> {
        var errors = FieldErrors()
        let country = values["transfer_country"]?.uppercased()
        if let country, CountryCodes.euEEA.contains(country) {
            errors["transfer_country"] = "destination.error.inEEA"
        } else if country.map({ !CountryCodes.all.contains($0) }) ?? true {
            errors["transfer_country"] = "destination.error.country"
        }
        let recipient = values["transfer_recipient"]
        if recipient == nil { errors["transfer_recipient"] = "destination.error.recipient" }
        if (recipient?.count ?? 0) > Self.limits["transfer_recipient"]! {
            errors["transfer_recipient"] = Phrase("form.tooLong", ["limit": Self.limits["transfer_recipient"]!.groupedDigits])
        }
        let safeguard = values["transfer_safeguard"].flatMap(TransferDestination.Safeguard.init(rawValue:))
        if safeguard == nil { errors["transfer_safeguard"] = "destination.error.safeguard" }
        guard errors.isEmpty, let country, let recipient, let safeguard else { return .failure(errors) }
        return .success(Valid(country: country, recipient: recipient, safeguard: safeguard))
    }
}

/// The fields of HR's vacancy form, before validation.
public struct VacancyForm: Sendable, Equatable {
    public static let limits = ["title": 200, "description": 20_000, "location": 200, "hours": 100, "salary": 200, "contact": 300]

    /// Raw values by field name (`title`, `description`, `location`, `closes_on`, `international`,
    /// and for a new international vacancy its first partner's fields).
    public var values: FormValues

    /// Creates a form from raw values.
    public init(_ values: FormValues = FormValues()) { self.values = values }

    /// The form filled from a stored vacancy.
    public init(vacancy: Vacancy) {
        var values = ["title": vacancy.title, "description": vacancy.description, "location": vacancy.location, "closes_on": vacancy.closesOn,
                      "employment_type": vacancy.employmentType, "hours": vacancy.hours, "salary": vacancy.salary, "contact": vacancy.contact]
        if vacancy.international { values["international"] = "yes" }
        self.values = FormValues(values)
    }

    /// The form filled from a stored vacancy and its screening questions.
    public init(vacancy: Vacancy, questions: [ScreeningQuestion]) {
        self.init(vacancy: vacancy)
        for question in questions {
            values.raw["question_\(question.position)_text"] = question.text
            values.raw["question_\(question.position)_kind"] = question.kind.rawValue
        }
    }

    /// A validated vacancy form.
    public struct Valid: Sendable {
        public var title: String
        public var description: String
        public var location: String
        public var closesOn: String
        /// The optional facts, empty when not given.
        public var employmentType = ""
        public var hours = ""
        public var salary = ""
        public var contact = ""
        /// The screening questions, in order.
        public var questions: [(kind: ScreeningQuestion.Kind, text: String)] = []
        /// The first partner of a new international vacancy.
        public var destination: DestinationForm.Valid?
    }

    /// Checks every field; `today` is the earliest allowed closing day for a new vacancy. An
    /// existing vacancy's destinations are managed one by one, so its form has none.
    public func validate(today: String?, withDestination: Bool = true) -> Result<Valid, FieldErrors> {
        var errors = values.overLimit(Self.limits)
        let title = values["title"], description = values["description"], location = values["location"]
        if title == nil { errors["title"] = "vacancyForm.error.title" }
        if description == nil { errors["description"] = "vacancyForm.error.description" }
        if location == nil { errors["location"] = "vacancyForm.error.location" }
        let closesOn = values["closes_on"]
        if let closesOn, DayFormat.date(from: closesOn) != nil {
            if let today, closesOn < today { errors["closes_on"] = "vacancyForm.error.closesInPast" }
        } else {
            errors["closes_on"] = "vacancyForm.error.closesOn"
        }
        var destination: DestinationForm.Valid?
        if !withDestination {
            // Destinations of an existing vacancy are added and removed on their own.
        } else if values["international"] == "yes" {
            switch DestinationForm(values).validate() {
            case .success(let valid): destination = valid
            case .failure(let destinationErrors): errors.messages.merge(destinationErrors.messages) { first, _ in first }
            }
        } else if values["international"] != nil {
            errors["international"] = "vacancyForm.error.international"
        }
        var questions: [(kind: ScreeningQuestion.Kind, text: String)] = []
        for i in 1...ScreeningQuestion.slots {
            let textField = "question_\(i)_text", kindField = "question_\(i)_kind"
            guard let text = values[textField] else { continue }
            if text.count > ScreeningQuestion.questionLimit {
                errors[textField] = Phrase("form.tooLong", ["limit": ScreeningQuestion.questionLimit.groupedDigits])
            } else if let kind = values[kindField].flatMap(ScreeningQuestion.Kind.init(rawValue:)) {
                questions.append((kind, text))
            } else {
                errors[kindField] = "vacancyForm.error.questionKind"
            }
        }
        let employmentType = values["employment_type"] ?? ""
        if !employmentType.isEmpty, Vacancy.EmploymentType(rawValue: employmentType) == nil {
            errors["employment_type"] = "vacancyForm.error.employmentType"
        }
        guard errors.isEmpty, let title, let description, let location, let closesOn else { return .failure(errors) }
        var valid = Valid(title: title, description: description, location: location, closesOn: closesOn, destination: destination)
        valid.employmentType = employmentType
        valid.hours = values["hours"] ?? ""
        valid.salary = values["salary"] ?? ""
        valid.contact = values["contact"] ?? ""
        valid.questions = questions
        return .success(valid)
    }
}
