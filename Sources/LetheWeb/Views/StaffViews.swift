import Foundation
import LetheCore

// View models of the sign-in, panel and HR pages (stored properties only, for Mustache).

/// The signed-in user as the page header shows them, with the sign-out form's token.
struct SignedInChrome {
    let name: String
    let isHR: Bool
    let csrfToken: String
}

/// A page that asks for an e-mail address and a secret: sign-in and password reset.
protocol CredentialsPage {
    static var template: String { get }
    init(csrfToken: String, email: String, error: String?, notice: String?)
}

/// `/login`.
struct LoginView: CredentialsPage {
    static let template = "login"
    let title = "Staff sign-in"
    let csrfToken: String
    let email: String
    let error: String?
    let notice: String?
    let signedIn: [SignedInChrome] = []
}

/// `/login/reset`: a one-time code from HR sets a new password.
struct PasswordResetView: CredentialsPage {
    static let template = "password-reset"
    let title = "Set a new password"
    let csrfToken: String
    let email: String
    let error: String?
    let notice: String?
    let minimumLength = StaffPassword.minimumLength
    let signedIn: [SignedInChrome] = []
}

/// `/staff/password`: change one's own password.
struct PasswordChangeView {
    let title = "Change your password"
    let signedIn: [SignedInChrome]
    let csrfToken: String
    let error: String?
    let notice: String?
    let minimumLength = StaffPassword.minimumLength

    init(chrome: SignedInChrome, error: String?, notice: String?) {
        signedIn = [chrome]
        csrfToken = chrome.csrfToken
        self.error = error
        self.notice = notice
    }
}

/// `/staff`: the vacancies on the user's panels.
struct StaffHomeView {
    struct Row {
        let id: Int64
        let title: String
        let status: String
        let closesOn: String
        let applications: Int
    }

    let title = "Your hiring panels"
    let signedIn: [SignedInChrome]
    let vacancies: [Row]
    let hasVacancies: Bool
}

/// A link in a list's pager or sort bar.
struct LinkView {
    let label: String
    let href: String
    let current: Bool
}

/// `/staff/vacancies/<id>`: a vacancy's applications, searchable, sortable and paged.
struct StaffVacancyView {
    struct Row {
        let id: Int64
        let name: String
        let status: String
        let submittedAt: String
    }

    let title: String
    let signedIn: [SignedInChrome]
    let csrfToken: String
    let vacancyId: Int64
    let query: String
    let searchLimit: Int
    let sorts: [LinkView]
    let rows: [Row]
    let hasRows: Bool
    let summary: String
    let pages: [LinkView]
    let hasPages: Bool
}

/// `/staff/applications/<id>`: one application for the panel.
struct StaffApplicationView {
    struct DocumentRow {
        let href: String
        let name: String
        let type: String
        let size: String
    }

    struct ReferenceRow {
        let id: Int64
        let position: Int
        let name: String
        let contact: String
        let relationship: String
        let hasRelationship: Bool
        let permission: String
        let permitted: Bool
        let checks: [CheckRow]
        let hasChecks: Bool
    }

    struct CheckRow {
        let contactedOn: String
        let summary: String
        let by: String
    }

    struct DestinationOption {
        let id: Int64
        let label: String
    }

    struct TransferRow {
        let recipient: String
        let what: String
        let sharedOn: String
    }

    struct HistoryRow {
        let status: String
        let by: String
        let at: String
    }

    struct AssessmentRow {
        let author: String
        let competencies: Int
        let qualifications: Int
        let experience: Int
        let notes: String
        let updatedAt: String
    }

    struct StatusOption {
        let value: String
        let label: String
        let selected: Bool
    }

    struct ScoreField {
        let name: String
        let label: String
        let options: [ScoreOption]
    }

    struct ScoreOption {
        let value: Int
        let selected: Bool
    }

    let title: String
    let signedIn: [SignedInChrome]
    let csrfToken: String
    let id: Int64
    let applicationId: Int64
    let vacancyId: Int64
    let vacancyTitle: String
    let applicant: ApplicantDetails
    let documents: [DocumentRow]
    let references: [ReferenceRow]
    let hasReferences: Bool
    let history: [HistoryRow]
    let statusOptions: [StatusOption]
    let assessments: [AssessmentRow]
    let hasAssessments: Bool
    let scoreFields: [ScoreField]
    let myNotes: String
    let hasMyAssessment: Bool
    let formError: String
    let hasFormError: Bool
    let notice: String
    let hasNotice: Bool
    let international: Bool
    let mayTransfer: Bool
    let destinations: [DestinationOption]
    let transfers: [TransferRow]
    let hasTransfers: Bool
    let today: String

    init(detail: ApplicationDetail, user: StaffUser, chrome: SignedInChrome, now: Date, formError: String? = nil, notice: String? = nil) {
        let app = detail.application
        title = app.name
        signedIn = [chrome]
        csrfToken = chrome.csrfToken
        id = app.id!
        applicationId = app.id!
        vacancyId = detail.vacancy.id!
        vacancyTitle = detail.vacancy.title
        applicant = ApplicantDetails(app)
        documents = detail.documents.map {
            DocumentRow(href: "/staff/applications/\(app.id!)/documents/\($0.id!)", name: $0.originalName, type: Formatting.typeLabel($0.mediaType), size: Formatting.size($0.size))
        }
        references = detail.references.map {
            let permitted = $0.permissionStands
            let permission = $0.permissionWithdrawnAt != nil ? "Permission withdrawn by the applicant" : ($0.permissionGiven ? "May be contacted" : "No permission: do not contact")
            let checks = (detail.referenceChecks[$0.id!] ?? []).map { CheckRow(contactedOn: $0.check.contactedOn, summary: $0.check.summary, by: $0.by ?? "a former staff member") }
            return ReferenceRow(id: $0.id!, position: $0.position, name: $0.name, contact: $0.contact, relationship: $0.relationship, hasRelationship: !$0.relationship.isEmpty, permission: permission, permitted: permitted, checks: checks, hasChecks: !checks.isEmpty)
        }
        hasReferences = !detail.references.isEmpty
        history = [HistoryRow(status: "Received", by: "the applicant", at: Formatting.dateTime(app.submittedAt))]
            + detail.history.map { HistoryRow(status: Formatting.status($0.change.status), by: $0.by ?? "a former staff member", at: Formatting.dateTime($0.change.changedAt)) }
        statusOptions = JobApplication.Status.allCases.map { StatusOption(value: $0.rawValue, label: Formatting.status($0), selected: $0 == app.status) }
        assessments = detail.assessments.map {
            AssessmentRow(author: $0.author, competencies: $0.assessment.competencies, qualifications: $0.assessment.qualifications, experience: $0.assessment.experience, notes: $0.assessment.notes, updatedAt: Formatting.dateTime($0.assessment.updatedAt))
        }
        hasAssessments = !detail.assessments.isEmpty
        let mine = detail.assessments.first { $0.assessment.staffUserId == user.id }?.assessment
        scoreFields = [("competencies", "Competencies", mine?.competencies), ("qualifications", "Qualifications", mine?.qualifications), ("experience", "Experience", mine?.experience)].map { field in
            ScoreField(name: field.0, label: field.1, options: (1...5).map { ScoreOption(value: $0, selected: $0 == field.2) })
        }
        myNotes = mine?.notes ?? ""
        hasMyAssessment = mine != nil
        self.formError = formError ?? ""
        hasFormError = formError != nil
        self.notice = notice ?? ""
        hasNotice = notice != nil
        international = detail.vacancy.international
        mayTransfer = !detail.transferablePartners.isEmpty
        destinations = detail.transferablePartners.map { DestinationOption(id: $0.id!, label: "\($0.recipient), \(CountryNames.name(of: $0.country))") }
        transfers = detail.transfers.map { TransferRow(recipient: "\($0.destination.recipient), \(CountryNames.name(of: $0.destination.country))", what: $0.record.what, sharedOn: $0.record.sharedOn) }
        hasTransfers = !detail.transfers.isEmpty
        today = DayFormat.string(from: now)
    }
}

/// `/hr`: vacancies and staff accounts.
struct HRHomeView {
    struct VacancyRow {
        let id: Int64
        let title: String
        let status: String
        let closesOn: String
        let international: Bool
    }

    struct StaffRow {
        let id: Int64
        let name: String
        let email: String
        let role: String
        let disabled: Bool
        let isSelf: Bool
    }

    let title = "HR"
    let signedIn: [SignedInChrome]
    let csrfToken: String
    let vacancies: [VacancyRow]
    let staff: [StaffRow]
    let form: [String: String]
    let errors: [String: String]
    let hasErrors: Bool
    let notice: String
    let hasNotice: Bool
    let roleHR: Bool
}

/// `/hr/vacancies/new` and `/hr/vacancies/<id>`: the vacancy form, and for an existing one its panel.
struct HRVacancyView {
    struct SafeguardOption {
        let value: String
        let label: String
        let selected: Bool
    }

    struct MemberRow {
        let name: String
        let email: String
        let addedAt: String
    }

    struct DestinationRow {
        let id: Int64
        let country: String
        let recipient: String
        let safeguard: String
    }

    let title: String
    let signedIn: [SignedInChrome]
    let csrfToken: String
    let isNew: Bool
    let action: String
    let id: Int64
    let vacancyId: Int64
    let isOpen: Bool
    let form: [String: String]
    let international: Bool
    let safeguards: [SafeguardOption]
    let errors: [String: String]
    let hasErrors: Bool
    let members: [MemberRow]
    let hasMembers: Bool
    let destinations: [DestinationRow]
    let hasDestinations: Bool
    let panelError: String
    let hasPanelError: Bool
    let notice: String
    let hasNotice: Bool

    init(vacancy: Vacancy?, form: VacancyForm, members: [PanelMember], chrome: SignedInChrome, destinations: [TransferDestination] = [], errors: FieldErrors = .init(), panelError: String? = nil, notice: String? = nil) {
        isNew = vacancy == nil
        title = vacancy.map { "Vacancy: \($0.title)" } ?? "New vacancy"
        signedIn = [chrome]
        csrfToken = chrome.csrfToken
        action = vacancy.map { "/hr/vacancies/\($0.id!)" } ?? "/hr/vacancies"
        id = vacancy?.id ?? 0
        vacancyId = id
        isOpen = vacancy?.status == .open
        var values = form.values
        values["closes_on"] = values["closes_on"].map(Formatting.dateInputValue)
        self.form = values
        international = form.values["international"] == "yes"
        safeguards = TransferDestination.Safeguard.allCases.map {
            SafeguardOption(value: $0.rawValue, label: $0.title, selected: form.values["transfer_safeguard"] == $0.rawValue)
        }
        self.errors = errors.messages
        hasErrors = !errors.isEmpty
        self.members = members.map { MemberRow(name: $0.user.name, email: $0.user.email, addedAt: Formatting.day($0.addedAt)) }
        hasMembers = !members.isEmpty
        self.destinations = destinations.map { DestinationRow(id: $0.id!, country: CountryNames.name(of: $0.country), recipient: $0.recipient, safeguard: $0.safeguard.title) }
        hasDestinations = !destinations.isEmpty
        self.panelError = panelError ?? ""
        hasPanelError = panelError != nil
        self.notice = notice ?? ""
        hasNotice = notice != nil
    }
}

/// `/hr/notices`: every version of every notice, and the form to publish a new one.
struct HRNoticesView {
    struct Row {
        let id: Int64
        let kind: String
        let version: Int
        let publishedAt: String
        let sha256: String
    }

    struct KindOption {
        let value: String
        let label: String
        let selected: Bool
    }

    let title = "Notices"
    let signedIn: [SignedInChrome]
    let csrfToken: String
    let notices: [Row]
    let kinds: [KindOption]
    let body: String
    let error: String
    let hasError: Bool
}

/// `/hr/notices/<id>`: one version, exactly as published.
struct HRNoticeView {
    let title: String
    let signedIn: [SignedInChrome]
    let paragraphs: [Paragraph]
    let publishedAt: String
    let sha256: String
}

extension Formatting {
    static func status(_ status: JobApplication.Status) -> String {
        switch status {
        case .received: "Received"
        case .inReview: "In review"
        case .shortlisted: "Shortlisted"
        case .rejected: "Rejected"
        case .offered: "Offered"
        case .hired: "Hired"
        case .declined: "Declined"
        }
    }
}

/// `/hr/retention`: who is erased when, consent state, counts, recent purges and a weekly chart.
struct HRRetentionView {
    struct ExpiringRow {
        let id: Int64
        let vacancy: String
        let name: String
        let submittedAt: String
        let retentionUntil: String
        let consent: String
    }

    struct VacancyRow {
        let title: String
        let applications: Int
        let withConsent: Int
        let expiringSoon: Int
    }

    struct PurgeRow {
        let at: String
        let reason: String
        let applications: Int
        let documents: Int
    }

    struct Bar {
        let x: Int
        let y: Int
        let height: Int
        let label: String
        let count: Int
        let showLabel: Bool
    }

    struct FoundRow {
        let id: Int64
        let vacancy: String
        let submittedAt: String
        let retentionUntil: String
    }

    let title = "Retention"
    let signedIn: [SignedInChrome]
    let csrfToken: String
    let expiring: [ExpiringRow]
    let hasExpiring: Bool
    let vacancies: [VacancyRow]
    let purges: [PurgeRow]
    let hasPurges: Bool
    let bars: [Bar]
    let chartMax: Int
    let chartSummary: String
    let email: String
    let searched: Bool
    let found: [FoundRow]
    let hasFound: Bool
    let notice: String
    let hasNotice: Bool

    init(dashboard: RetentionDashboard, now: Date, chrome: SignedInChrome, email: String, found: [(application: JobApplication, vacancyTitle: String)], notice: String?) {
        signedIn = [chrome]
        csrfToken = chrome.csrfToken
        expiring = dashboard.expiring.map {
            ExpiringRow(
                id: $0.applicationId, vacancy: $0.vacancyTitle, name: $0.name, submittedAt: Formatting.day($0.submittedAt),
                retentionUntil: Formatting.day($0.retentionUntil),
                consent: $0.consentUntil.map { "consent until \(Formatting.day($0))" } ?? "no consent"
            )
        }
        hasExpiring = !expiring.isEmpty
        vacancies = dashboard.perVacancy.map { VacancyRow(title: $0.title, applications: $0.applications, withConsent: $0.withConsent, expiringSoon: $0.expiringSoon) }
        purges = dashboard.recentPurges.map { PurgeRow(at: Formatting.dateTime($0.purgedAt), reason: $0.reason.rawValue, applications: $0.applications, documents: $0.documents) }
        hasPurges = !purges.isEmpty
        let maximum = max(1, dashboard.weeklyExpiries.max() ?? 1)
        chartMax = maximum
        bars = dashboard.weeklyExpiries.enumerated().map { week, count in
            let height = Int((Double(count) / Double(maximum) * 140).rounded())
            let start = now.addingTimeInterval(Double(week) * 7 * 86_400)
            return Bar(x: 40 + week * 22, y: 160 - height, height: height, label: Formatting.shortDay(start), count: count, showLabel: week % 4 == 0)
        }
        chartSummary = "\(dashboard.weeklyExpiries.reduce(0, +)) applications are due for erasure in the next 26 weeks; the busiest week has \(dashboard.weeklyExpiries.max() ?? 0)."
        self.email = email
        searched = !email.isEmpty
        self.found = found.map { FoundRow(id: $0.application.id!, vacancy: $0.vacancyTitle, submittedAt: Formatting.day($0.application.submittedAt), retentionUntil: Formatting.day($0.application.retentionUntil)) }
        hasFound = !found.isEmpty
        self.notice = notice ?? ""
        hasNotice = notice != nil
    }
}

/// `/hr/applications/<id>`: retention and consent of one application, without its content.
struct HRApplicationView {
    let title: String
    let signedIn: [SignedInChrome]
    let csrfToken: String
    let id: Int64
    let vacancy: String
    let name: String
    let email: String
    let submittedAt: String
    let retentionUntil: String
    let maximum: String
    let consents: [ConsentRow]
    let hasConsents: Bool
    let form: [String: String]
    let error: String
    let hasError: Bool
    let notice: String
    let hasNotice: Bool

    init(record: ApplicationRecord, chrome: SignedInChrome, policy: RetentionPolicy, form: [String: String], error: String?, notice: String?) {
        let app = record.application
        title = "Application \(app.id!)"
        signedIn = [chrome]
        csrfToken = chrome.csrfToken
        id = app.id!
        vacancy = record.vacancy.title
        name = app.name
        email = app.email
        submittedAt = Formatting.dateTime(app.submittedAt)
        retentionUntil = Formatting.day(app.retentionUntil)
        maximum = DayFormat.string(from: policy.maximumEnd(submittedAt: app.submittedAt))
        consents = record.consents.map { ConsentRow($0, readByApplicant: false) }
        hasConsents = !consents.isEmpty
        var values = form
        values["until"] = values["until"].map(Formatting.dateInputValue)
        self.form = values
        self.error = error ?? ""
        hasError = error != nil
        self.notice = notice ?? ""
        hasNotice = notice != nil
    }
}
