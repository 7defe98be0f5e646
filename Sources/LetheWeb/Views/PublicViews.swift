import Foundation
import LetheCore

// View models for the public pages. Mustache reads stored properties only, so every value a
// template shows is computed here, in Swift, and templates stay free of logic.

/// A paragraph of a notice or description.
struct Paragraph {
    let text: String

    static func split(_ text: String) -> [Paragraph] {
        text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.map(Paragraph.init)
    }
}

/// One vacancy in the list of open vacancies.
struct VacancySummary {
    let id: Int64
    let title: String
    let location: String
    let closesOn: String
    let international: Bool
}

/// `/` and `/jobs`.
struct JobsView {
    let title = "Open vacancies"
    let vacancies: [VacancySummary]
    let hasVacancies: Bool
}

/// A form input with what the user typed and the message about it.
struct FieldView {
    let name: String
    let value: String
    let error: String
    let hasError: Bool
    let checked: Bool

    init(_ name: String, form: ApplicationForm, errors: FieldErrors) {
        self.name = name
        value = form.overlong.contains(name) ? "" : (form.values[name] ?? "")
        error = errors[name] ?? ""
        hasError = errors[name] != nil
        checked = form.values[name] == "yes"
    }
}

/// One reference's inputs.
struct ReferenceFieldsView {
    let position: Int
    let name: FieldView
    let contact: FieldView
    let relationship: FieldView
    let permission: FieldView
}

/// One entry of the error summary above a form.
struct ErrorSummaryItem {
    let field: String
    let message: String
}

/// A third-country destination as the transfer notice lists it.
struct DestinationView {
    let country: String
    let recipient: String
    let safeguard: String
}

/// `/jobs/<id>`: the vacancy, its notices and the application form.
struct VacancyView {
    let title: String
    let id: Int64
    let location: String
    let closesOn: String
    let description: [Paragraph]
    let accepting: Bool
    let international: Bool
    let destinations: [DestinationView]
    let privacyNotice: [Paragraph]
    let privacyNoticeVersion: Int
    let transferNotice: [Paragraph]
    let referenceNotice: [Paragraph]
    /// The terms this page shows, signed (see ``TermsSigner``).
    let terms: String
    /// A message about the whole form, e.g. that the terms changed while it was filled in.
    let formMessage: String?
    let csrfToken: String
    let maxUploadMiB: Int
    let accept: String
    let acceptedTypes: String
    let hasErrors: Bool
    let errorSummary: [ErrorSummaryItem]
    let name: FieldView
    let email: FieldView
    let phone: FieldView
    let coverLetter: FieldView
    let cv: FieldView
    let privacyAck: FieldView
    let transferAck: FieldView
    let references: [ReferenceFieldsView]

    init(
        vacancy: Vacancy, destinations: [TransferDestination], notices: [Notice.Kind: Notice], terms: String, now: Date,
        csrfToken: String, maxUploadBytes: Int, form: ApplicationForm = .init(), errors: FieldErrors = .init(), formMessage: String? = nil
    ) {
        title = vacancy.title
        id = vacancy.id!
        location = vacancy.location
        closesOn = DayFormat.date(from: vacancy.closesOn).map(Formatting.day) ?? vacancy.closesOn
        description = Paragraph.split(vacancy.description)
        accepting = vacancy.acceptsApplications(at: now)
        international = vacancy.international
        self.destinations = destinations.map {
            DestinationView(country: CountryNames.name(of: $0.country), recipient: $0.recipient, safeguard: $0.safeguard.title)
        }
        privacyNotice = Paragraph.split(notices[.privacy]?.body ?? "")
        privacyNoticeVersion = notices[.privacy]?.version ?? 0
        transferNotice = Paragraph.split(notices[.transfer]?.body ?? "")
        referenceNotice = Paragraph.split(notices[.reference]?.body ?? "")
        self.terms = terms
        self.formMessage = formMessage
        self.csrfToken = csrfToken
        maxUploadMiB = maxUploadBytes / (1024 * 1024)
        accept = ContentSniffer.allowedTypes.flatMap { $0.extensions.map { "." + $0 } }.sorted().joined(separator: ",")
        acceptedTypes = ApplicationUpload.acceptedList
        hasErrors = !errors.isEmpty
        let order = ["name", "email", "phone", "cover_letter", "cv", "privacy_ack", "transfer_ack"]
            + (1...ApplicationForm.referenceSlots).flatMap { i in ["name", "contact", "relationship", "permission"].map { "reference_\(i)_\($0)" } }
        errorSummary = order.compactMap { field in errors[field].map { ErrorSummaryItem(field: field, message: $0) } }
            + errors.messages.keys.filter { !order.contains($0) }.sorted().map { ErrorSummaryItem(field: $0, message: errors[$0]!) }
        name = FieldView("name", form: form, errors: errors)
        email = FieldView("email", form: form, errors: errors)
        phone = FieldView("phone", form: form, errors: errors)
        coverLetter = FieldView("cover_letter", form: form, errors: errors)
        cv = FieldView("cv", form: form, errors: errors)
        privacyAck = FieldView("privacy_ack", form: form, errors: errors)
        transferAck = FieldView("transfer_ack", form: form, errors: errors)
        references = (1...ApplicationForm.referenceSlots).map { i in
            ReferenceFieldsView(
                position: i,
                name: FieldView("reference_\(i)_name", form: form, errors: errors),
                contact: FieldView("reference_\(i)_contact", form: form, errors: errors),
                relationship: FieldView("reference_\(i)_relationship", form: form, errors: errors),
                permission: FieldView("reference_\(i)_permission", form: form, errors: errors)
            )
        }
    }
}

/// What the applicant told us, as both the applicant and the panel see it
/// (`templates/applicant-details.mustache`).
struct ApplicantDetails {
    let name: String
    let email: String
    let phone: String
    let hasPhone: Bool
    let coverLetter: [Paragraph]
    let hasCoverLetter: Bool
    let status: String
    let submittedAt: String
    let retentionUntil: String

    init(_ application: JobApplication) {
        name = application.name
        email = application.email
        phone = application.phone ?? ""
        hasPhone = application.phone != nil
        coverLetter = Paragraph.split(application.coverLetter ?? "")
        hasCoverLetter = application.coverLetter != nil
        status = Formatting.status(application.status)
        submittedAt = Formatting.dateTime(application.submittedAt)
        retentionUntil = Formatting.day(application.retentionUntil)
    }
}

/// One consent to extended retention, worded for whoever reads it.
struct ConsentRow {
    let givenAt: String
    let until: String
    let how: String
    let state: String

    init(_ consent: Consent, readByApplicant: Bool) {
        givenAt = Formatting.dateTime(consent.givenAt)
        until = Formatting.day(consent.until)
        let byApplicant = readByApplicant ? "given by you" : "given by the applicant"
        how = consent.method == .hr ? "recorded by HR: \(consent.evidence ?? "")" : byApplicant
        state = consent.withdrawnAt.map { "withdrawn \(Formatting.dateTime($0))" } ?? "standing"
    }
}

/// `/me/<token>`: what is stored about the applicant and when it will be erased.
struct ReceiptView {
    struct DocumentRow {
        let id: Int64
        let name: String
        let type: String
        let size: String
    }

    struct ReferenceRow {
        let id: Int64
        let name: String
        let contact: String
        let relationship: String
        let hasRelationship: Bool
        let permission: String
        let canWithdraw: Bool
        let checks: [CheckRow]
    }

    struct CheckRow {
        let contactedOn: String
        let summary: String
    }

    struct NoticeRow {
        let kind: String
        let version: Int
        let sha256: String
        let acknowledgedAt: String
        let shown: String
        let hasShown: Bool
        /// The version published since, when the one acknowledged is no longer current.
        let newerVersion: Int?
    }

    struct TransferRow {
        let recipient: String
        let country: String
        let safeguard: String
        let what: String
        let sharedOn: String
    }

    let title = "Your application"
    let vacancyTitle: String
    let applicant: ApplicantDetails
    let documents: [DocumentRow]
    let references: [ReferenceRow]
    let hasReferences: Bool
    let notices: [NoticeRow]
    let transfers: [TransferRow]
    let hasTransfers: Bool
    let justSubmitted: Bool
    let notice: String
    let hasNotice: Bool
    let csrfToken: String
    let basePath: String
    let error: String
    let hasError: Bool
    let hasConsent: Bool
    let consentUntil: String
    let consentMethod: String
    let consentText: [Paragraph]
    /// The consent text's version, signed into the consent form.
    let consentTerms: String
    let consentOptions: [ConsentOption]
    let canExtend: Bool
    let ordinaryEnd: String
    let consents: [ConsentRow]
    let hasConsentHistory: Bool

    struct ConsentOption {
        let months: Int
        let until: String
        let checked: Bool
    }

    init(record: ApplicationRecord, token: String, csrfToken: String, justSubmitted: Bool, notice: String? = nil, error: String? = nil,
         currentNotices: [Notice.Kind: Notice], consentTerms: String, policy: RetentionPolicy, now: Date) {
        let app = record.application
        vacancyTitle = record.vacancy.title
        applicant = ApplicantDetails(app)
        documents = record.documents.map {
            DocumentRow(id: $0.id!, name: $0.originalName, type: Formatting.typeLabel($0.mediaType), size: Formatting.size($0.size))
        }
        references = record.references.map { reference in
            ReferenceRow(
                id: reference.id!, name: reference.name, contact: reference.contact, relationship: reference.relationship,
                hasRelationship: !reference.relationship.isEmpty,
                permission: reference.permissionWithdrawnAt != nil ? "you withdrew permission to contact them" : (reference.permissionGiven ? "may be contacted" : "not to be contacted"),
                canWithdraw: reference.permissionStands,
                checks: (record.referenceChecks[reference.id!] ?? []).map { CheckRow(contactedOn: $0.check.contactedOn, summary: $0.check.summary) }
            )
        }
        hasReferences = !record.references.isEmpty
        notices = record.acknowledgements.map { acknowledged in
            let current = currentNotices[acknowledged.notice.kind]?.version ?? acknowledged.notice.version
            return NoticeRow(
                kind: Formatting.noticeLabel(acknowledged.notice.kind), version: acknowledged.notice.version, sha256: String(acknowledged.notice.sha256.prefix(12)),
                acknowledgedAt: Formatting.dateTime(acknowledged.acknowledgement.acknowledgedAt), shown: acknowledged.acknowledgement.shownDetail,
                hasShown: !acknowledged.acknowledgement.shownDetail.isEmpty, newerVersion: current > acknowledged.notice.version ? current : nil
            )
        }
        transfers = record.transfers.map {
            TransferRow(recipient: $0.destination.recipient, country: CountryNames.name(of: $0.destination.country), safeguard: $0.destination.safeguard.title, what: $0.record.what, sharedOn: $0.record.sharedOn)
        }
        hasTransfers = !record.transfers.isEmpty
        self.justSubmitted = justSubmitted
        self.notice = notice ?? ""
        hasNotice = notice != nil
        self.csrfToken = csrfToken
        basePath = "/me/\(token)"
        self.error = error ?? ""
        hasError = error != nil
        let standing = record.standingConsent
        hasConsent = standing != nil
        consentUntil = standing.map { Formatting.day($0.until) } ?? ""
        consentMethod = standing?.method == .hr ? "recorded by HR" : "given by you"
        consentText = Paragraph.split(currentNotices[.retention]?.body ?? "")
        self.consentTerms = consentTerms
        let maximum = policy.maximumEnd(submittedAt: app.submittedAt)
        consentOptions = [12, 24].map { months in
            let until = min(DayFormat.calendar.date(byAdding: .month, value: months, to: now)!, maximum)
            return ConsentOption(months: months, until: Formatting.day(until), checked: months == 12)
        }
        canExtend = maximum > app.retentionUntil
        ordinaryEnd = Formatting.day(policy.baseEnd(submittedAt: app.submittedAt))
        consents = record.consents.map { ConsentRow($0, readByApplicant: true) }
        hasConsentHistory = !record.consents.isEmpty
    }
}

/// `/me/<token>/withdraw`: the confirmation step before an application is erased.
struct WithdrawView {
    let title = "Withdraw your application"
    let vacancyTitle: String
    let basePath: String
    let csrfToken: String
}

/// The page after an application was withdrawn and erased.
struct WithdrawnView {
    let title = "Your application was withdrawn"
}

/// Formats values for pages, in UTC and plain English.
enum Formatting {
    // Formatted by hand from calendar components: a DateFormatter per call costs more than the
    // rest of a list page, and shared formatters are not Sendable.
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func day(_ date: Date) -> String {
        let c = DayFormat.calendar.dateComponents([.year, .month, .day], from: date)
        return "\(c.day!) \(months[c.month! - 1]) \(c.year!)"
    }

    static func dateTime(_ date: Date) -> String {
        let c = DayFormat.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.day!) \(months[c.month! - 1]) \(c.year!), " + String(format: "%02d:%02d", c.hour!, c.minute!) + " UTC"
    }

    static func shortDay(_ date: Date) -> String {
        let c = DayFormat.calendar.dateComponents([.month, .day], from: date)
        return "\(c.day!) \(months[c.month! - 1].prefix(3))"
    }

    /// What a date input may show: a real `YYYY-MM-DD` day, or nothing (a browser cannot show
    /// anything else in it, and the HTML would be invalid).
    static func dateInputValue(_ typed: String) -> String {
        DayFormat.date(from: typed) == nil ? "" : typed
    }

    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KiB" }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    static func typeLabel(_ mediaType: String) -> String {
        ContentSniffer.allowedTypes.first { $0.mediaType == mediaType }?.label ?? mediaType
    }

    static func noticeLabel(_ kind: Notice.Kind) -> String {
        switch kind {
        case .privacy: "Privacy notice"
        case .reference: "Reference checks"
        case .transfer: "Transfer outside the EU/EEA"
        case .retention: "Extended retention"
        }
    }
}

/// English names of the countries most often named as destinations; other codes are shown as is.
enum CountryNames {
    static let names: [String: String] = [
        "US": "United States", "GB": "United Kingdom", "CH": "Switzerland", "CA": "Canada", "JP": "Japan",
        "IN": "India", "AU": "Australia", "NZ": "New Zealand", "KR": "South Korea", "SG": "Singapore",
        "BR": "Brazil", "ZA": "South Africa", "CN": "China", "IL": "Israel", "UA": "Ukraine", "PH": "Philippines",
    ]

    static func name(of code: String) -> String {
        names[code].map { "\($0) (\(code))" } ?? code
    }
}
