import Foundation
import LetheCore

// View models of HR's pages.

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

    let vacancies: [VacancyRow]
    let staff: [StaffRow]
    /// What was typed into the new-account form.
    let form: [String: String]
    let errors: [String: String]
    /// The new-account form's messages at the top, linking to its fields.
    let errorSummary: ErrorSummaryView?
    let notice: String?
    let roleHR: Bool

    init(vacancies: [Vacancy], staff: [StaffUser], user: StaffUser, form: [String: String], errors: [String: String], notice: String?, now: Date) {
        self.vacancies = vacancies.map { VacancyRow(id: $0.id!, title: $0.title, status: T("vacancyStatus.\($0.stage(at: now).rawValue)"), closesOn: Formatting.day($0.closesOn), international: $0.international) }
        self.staff = staff.map { StaffRow(id: $0.id!, name: $0.name, email: $0.email, role: T("role.\($0.role.rawValue)"), disabled: $0.disabledAt != nil, isSelf: $0.id == user.id) }
        self.form = form
        self.errors = errors
        // `account` is about an existing account (shown on its own); the rest are the form's.
        let fields = ["name", "email", "role", "password"]
        errorSummary = ErrorSummaryView(heading: T("hrHome.notAdded"), errors.filter { fields.contains($0.key) }, order: fields,
                                        ids: Dictionary(uniqueKeysWithValues: fields.map { ($0, "staff-\($0)") }))
        self.notice = notice
        roleHR = form["role"] == "hr"
    }
}

/// `/hr/vacancies/new` and `/hr/vacancies/<id>`: the vacancy form, and for an existing one its
/// partners and panel.
struct HRVacancyView {
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
    let isNew: Bool
    let action: String
    let id: Int64
    /// The same id, under a name that stays clear inside the partners list.
    let vacancyId: Int64
    /// Its stage, worded ("draft", "open", "closed", "archived"), and one flag per stage.
    let stage: String
    let isDraft: Bool
    let isOpen: Bool
    let isClosed: Bool
    let isArchived: Bool
    /// Closed by HR (it can be reopened), not by its closing day passing.
    let closedByHand: Bool
    /// Shown after "publish" on a vacancy with no panel: publish anyway?
    var publishWarning = false
    let form: [String: String]
    let international: Bool
    let safeguards: [OptionView]
    let employmentTypes: [OptionView]
    /// The form's errors in its order, for the summary that links to each field.
    let errorSummary: ErrorSummaryView?
    /// The screening question slots, as typed or stored.
    let questions: [QuestionSlot]

    struct QuestionSlot {
        let position: Int
        let text: String
        let kinds: [OptionView]
        let textError: String?
        let kindError: String?
    }
    /// The third countries by their names in the reader's language (no EU/EEA country).
    let countries: [OptionView]
    let errors: [String: String]
    let members: [MemberRow]
    let destinations: [DestinationRow]
    let panelError: String?
    let notice: String?
    /// Field limits, from the vacancy and destination forms.
    let limits: [String: Int]

    init(vacancy: Vacancy?, form: VacancyForm, members: [PanelMember], destinations: [TransferDestination] = [], errors: FieldErrors = .init(), panelError: String? = nil, notice: String? = nil, now: Date = Date()) {
        isNew = vacancy == nil
        title = vacancy.map { T("hrVacancy.title", ["title": $0.title]) } ?? T("hrVacancy.new")
        action = vacancy.map { "/hr/vacancies/\($0.id!)" } ?? "/hr/vacancies"
        id = vacancy?.id ?? 0
        vacancyId = id
        let stage = vacancy?.stage(at: now) ?? .draft
        self.stage = T("vacancyStatus.\(stage.rawValue)")
        isDraft = vacancy != nil && stage == .draft
        isOpen = stage == .published
        isClosed = stage == .closed
        isArchived = stage == .archived
        closedByHand = vacancy?.status == .closed
        var values = form.values.raw
        values["closes_on"] = values["closes_on"].map(Formatting.dateInputValue)
        self.form = values
        international = form.values["international"] == "yes"
        let messages = errors.messages.mapValues(\.text)
        questions = (1...ScreeningQuestion.slots).map { i in
            QuestionSlot(
                position: i, text: form.values.raw["question_\(i)_text"] ?? "",
                kinds: ScreeningQuestion.Kind.allCases.map { OptionView(value: $0.rawValue, label: T("questionKind.\($0.rawValue)"), selected: form.values["question_\(i)_kind"] == $0.rawValue) },
                textError: messages["question_\(i)_text"], kindError: messages["question_\(i)_kind"]
            )
        }
        employmentTypes = Vacancy.EmploymentType.allCases.map {
            OptionView(value: $0.rawValue, label: T("employmentType.\($0.rawValue)"), selected: form.values["employment_type"] == $0.rawValue)
        }
        safeguards = TransferDestination.Safeguard.allCases.map {
            OptionView(value: $0.rawValue, label: T("safeguard.\($0.rawValue)"), selected: form.values["transfer_safeguard"] == $0.rawValue)
        }
        let chosen = form.values["transfer_country"]?.uppercased()
        countries = Formatting.thirdCountries().map { OptionView(value: $0.code, label: $0.name, selected: $0.code == chosen) }
        self.errors = errors.messages.mapValues(\.text)
        // The summary at the top, in the order of the form, each linking to its field.
        let order = ["title", "description", "location", "employment_type", "hours", "salary", "contact"]
            + (1...ScreeningQuestion.slots).flatMap { ["question_\($0)_text", "question_\($0)_kind"] }
            + ["closes_on", "international", "transfer_country", "transfer_recipient", "transfer_safeguard"]
        errorSummary = ErrorSummaryView(heading: T("hrVacancy.notSaved"), self.errors, order: order)
        self.members = members.map { MemberRow(name: $0.user.name, email: $0.user.email, addedAt: Formatting.day($0.addedAt)) }
        self.destinations = destinations.map { DestinationRow(id: $0.id!, country: Formatting.country($0.country), recipient: $0.recipient, safeguard: T("safeguard.\($0.safeguard.rawValue)")) }
        self.panelError = panelError
        self.notice = notice
        limits = VacancyForm.limits.merging(DestinationForm.limits) { a, _ in a }
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

    let notices: [Row]
    let kinds: [OptionView]
    /// The Danish and English texts being written, kept when the form is refused.
    let bodyDa: String
    let bodyEn: String
    /// A refused form's messages, by field, and at the top.
    let errors: [String: String]
    let errorSummary: ErrorSummaryView?
    let limits = NoticeForm.limits
    /// The version about to be published, shown before HR confirms it.
    var preview: NoticePreview?
    /// Links that start the form from each notice's current text.
    let starters: [LinkView]

    init(notices: [Notice], kind: String, bodyDa: String, bodyEn: String, errors: [String: String]) {
        starters = Notice.Kind.allCases.map { LinkView(label: Formatting.noticeLabel($0), href: "/hr/notices?kind=\($0.rawValue)#publish", current: $0.rawValue == kind) }
        self.notices = notices.map { Row(id: $0.id!, kind: Formatting.noticeLabel($0.kind), version: $0.version, publishedAt: Formatting.dateTime($0.publishedAt), sha256: String($0.sha256.prefix(12))) }
        kinds = Notice.Kind.allCases.map { OptionView(value: $0.rawValue, label: Formatting.noticeLabel($0), selected: $0.rawValue == kind) }
        self.bodyDa = bodyDa
        self.bodyEn = bodyEn
        self.errors = errors
        errorSummary = ErrorSummaryView(heading: T("hrNotices.notShown"), errors, order: ["kind", "body_da", "body_en"])
    }
}

/// A notice version before it is published: its text in each language and what changes
/// against the version now in force.
struct NoticePreview {
    struct Language {
        let name: String
        let lang: String
        let paragraphs: [Paragraph]
        let diff: [DiffLine]
        let unchanged: Bool
    }

    struct DiffLine {
        let text: String
        let added: Bool
        let removed: Bool
        let mark: String
    }

    let heading: String
    let kind: String
    let bodyDa: String
    let bodyEn: String
    let languages: [Language]
    /// Neither language changed: nothing to publish.
    let unchanged: Bool

    init(_ valid: NoticeForm.Valid, current: Notice?) {
        kind = valid.kind.rawValue
        bodyDa = valid.danish
        bodyEn = valid.english
        heading = T("hrNotices.previewHeading", ["kind": Formatting.noticeLabel(valid.kind), "version": String((current?.version ?? 0) + 1)])
        languages = [("da", valid.danish, current?.bodyDa ?? ""), ("en", valid.english, current?.body ?? "")].map { lang, new, old in
            let diff = LineDiff(old: old, new: new)
            return Language(
                name: T("language.\(lang)"), lang: lang, paragraphs: Paragraph.split(new),
                diff: diff.lines.map {
                    DiffLine(text: $0.text, added: $0.change == .added, removed: $0.change == .removed,
                             mark: $0.change == .added ? T("hrNotices.added") : $0.change == .removed ? T("hrNotices.removed") : T("hrNotices.same"))
                },
                unchanged: diff.isUnchanged
            )
        }
        unchanged = languages.allSatisfy(\.unchanged)
    }
}

/// `/hr/notices/<id>`: one version, exactly as published.
struct HRNoticeView {
    /// One language's text with its fingerprint.
    struct Text {
        let language: String
        let heading: String
        let paragraphs: [Paragraph]
        let sha256: String
    }

    let title: String
    let publishedAt: String
    let publishedLine: String
    let texts: [Text]

    init(_ notice: Notice) {
        title = T("hrNotices.title", ["kind": Formatting.noticeLabel(notice.kind), "version": String(notice.version)])
        publishedAt = Formatting.dateTime(notice.publishedAt)
        publishedLine = T("hrNotices.publishedAt", ["date": publishedAt])
        var texts: [Text] = []
        if let danish = notice.bodyDa, let sha = notice.sha256Da {
            texts.append(Text(language: "da", heading: T("language.da"), paragraphs: Paragraph.split(danish), sha256: sha))
        }
        texts.append(Text(language: "en", heading: T("language.en"), paragraphs: Paragraph.split(notice.body), sha256: notice.sha256))
        self.texts = texts
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

    /// A week with erasures due: its first day, and how many (the bar is a `<meter>`, with
    /// the number beside it).
    struct Bar {
        let label: String
        let count: Int
    }

    struct FoundRow {
        let id: Int64
        let vacancy: String
        let submittedAt: String
        let retentionUntil: String
    }

    /// The result of a lookup by e-mail address.
    struct Lookup {
        let email: String
        let found: [FoundRow]
    }

    let expiring: [ExpiringRow]
    let vacancies: [VacancyRow]
    let purges: [PurgeRow]
    /// The weeks with erasures due; weeks with none draw no bar.
    let bars: [Bar]
    let chartMax: Int
    let chartSummary: String
    let lookup: Lookup?
    let notice: String?

    init(dashboard: RetentionDashboard, now: Date, email: String, found: [ApplicationWithVacancy], notice: String?) {
        expiring = dashboard.expiring.map {
            ExpiringRow(
                id: $0.applicationId, vacancy: $0.vacancyTitle, name: $0.name, submittedAt: Formatting.day($0.submittedAt),
                retentionUntil: Formatting.day($0.retentionUntil),
                consent: $0.consentUntil.map { T("hrRetention.consentUntil", ["date": Formatting.day($0)]) } ?? T("hrRetention.noConsent")
            )
        }
        vacancies = dashboard.perVacancy.map { VacancyRow(title: $0.title, applications: $0.applications, withConsent: $0.withConsent, expiringSoon: $0.expiringSoon) }
        purges = dashboard.recentPurges.map { PurgeRow(at: Formatting.dateTime($0.purgedAt), reason: T("purgeReason.\($0.reason.rawValue)"), applications: $0.applications, documents: $0.documents) }
        let maximum = max(1, dashboard.weeklyExpiries.max() ?? 1)
        chartMax = maximum
        bars = dashboard.weeklyExpiries.enumerated().filter { $0.element > 0 }.map { week, count in
            Bar(label: Formatting.shortDay(now.addingTimeInterval(Double(week) * 7 * 86_400)), count: count)
        }
        let due = dashboard.weeklyExpiries.reduce(0, +)
        chartSummary = switch due {
        case 0: T("hrRetention.chartSummaryNone")
        case 1: T("hrRetention.chartSummaryOne")
        default: T("hrRetention.chartSummary", ["total": String(due), "busiest": String(dashboard.weeklyExpiries.max() ?? 0)])
        }
        lookup = email.isEmpty ? nil : Lookup(email: email, found: found.map {
            FoundRow(id: $0.application.id!, vacancy: $0.vacancy.title, submittedAt: Formatting.day($0.application.submittedAt), retentionUntil: Formatting.day($0.application.retentionUntil))
        })
        self.notice = notice
    }
}

/// `/hr/applications/<id>`: retention and consent of one application, without its content.
struct HRApplicationView {
    let title: String
    let id: Int64
    let vacancy: String
    let name: String
    let email: String
    let submittedAt: String
    let retentionUntil: String
    let maximum: String
    let keepUntilLabel: String
    let consents: [ConsentRow]
    let form: [String: String]
    /// A refused form's messages, by field (`until`, `evidence`, `confirm`), and at the top.
    let errors: [String: String]
    let errorSummary: ErrorSummaryView?
    let notice: String?
    let limits = RecordedConsentForm.limits

    init(record: ApplicationRecord, policy: RetentionPolicy, form: [String: String], errors: [String: String], errorHeading: String, notice: String?) {
        let app = record.application
        title = T("hrApp.title", ["id": String(app.id!)])
        id = app.id!
        vacancy = record.vacancy.title
        name = app.name
        email = app.email
        submittedAt = Formatting.dateTime(app.submittedAt)
        retentionUntil = Formatting.day(app.retentionUntil)
        maximum = policy.day(of: policy.maximumEnd(submittedAt: app.submittedAt))
        keepUntilLabel = T("hrApp.keepUntil", ["date": Formatting.day(maximum)])
        consents = record.consents.map { ConsentRow($0, readByApplicant: false) }
        var values = form
        values["until"] = values["until"].map(Formatting.dateInputValue)
        self.form = values
        self.errors = errors
        errorSummary = ErrorSummaryView(heading: errorHeading, errors, order: ["until", "evidence", "confirm"])
        self.notice = notice
    }
}

/// `/hr/mail`: the outbox.
struct HRMailView {
    struct Row {
        let id: Int64
        let kind: String
        let application: Int64?
        let status: String
        let age: String
        let attempts: Int
        let nextAttempt: String?
        let error: String?
        let failed: Bool
    }

    struct Count {
        let kind: String
        let status: String
        let count: Int
    }

    let mailOn: Bool
    let waiting: [Row]
    let counts: [Count]
    let notice: String?

    init(_ overview: OutboxOverview, mailOn: Bool, now: Date, notice: String?) {
        self.mailOn = mailOn
        waiting = overview.waiting.map {
            Row(id: $0.id!, kind: Formatting.mailKind($0.kind), application: $0.applicationId, status: T("mailStatus.\($0.status.rawValue)"),
                age: Formatting.age(now.timeIntervalSince($0.createdAt)), attempts: $0.attempts,
                nextAttempt: $0.status == .pending && $0.attempts > 0 ? Formatting.dateTime($0.nextAttemptAt) : nil,
                error: $0.lastError, failed: $0.status == .failed)
        }
        counts = overview.counts.map { Count(kind: Formatting.mailKind($0.kind), status: T("mailStatus.\($0.status.rawValue)"), count: $0.count) }
        self.notice = notice
    }
}

/// `/hr/message-templates`: one subject and text per purpose.
struct MessageTemplatesView {
    struct Entry {
        let purpose: String
        let label: String
        let subject: String
        let body: String
        let subjectError: String?
        let bodyError: String?
    }

    let entries: [Entry]
    let errorSummary: ErrorSummaryView?
    let notice: String?
    let subjectLimit = StaffMessageForm.limits["subject"]!
    /// The explanation, with its placeholders shown as they are typed, not filled in.
    let templatesIntro = Localizer.current.catalogue.strings["templates.intro"] ?? ""
    let bodyLimit = StaffMessageForm.limits["body"]!

    /// `values(purpose, "subject" | "body")` gives each field's text.
    init(values: (MessageTemplate.Purpose, String) -> String, errors: FieldErrors, notice: String?) {
        entries = MessageTemplate.Purpose.allCases.map {
            Entry(purpose: $0.rawValue, label: T("template.\($0.rawValue)"), subject: values($0, "subject"), body: values($0, "body"),
                  subjectError: errors.text("\($0.rawValue)_subject"), bodyError: errors.text("\($0.rawValue)_body"))
        }
        let fields = MessageTemplate.Purpose.allCases.flatMap { ["\($0.rawValue)_subject", "\($0.rawValue)_body"] }
        errorSummary = ErrorSummaryView(heading: T("templates.notSaved"), errors.messages.mapValues(\.text), order: fields,
                                        ids: Dictionary(uniqueKeysWithValues: fields.map { ($0, $0.replacingOccurrences(of: "_", with: "-")) }))
        self.notice = notice
    }
}

/// `/hr/pool`: the applications whose consent is live, with their tags and proposals.
struct HRPoolView {
    struct Row {
        let id: Int64
        let name: String
        let vacancy: String
        let submittedAt: String
        let consentUntil: String
        let tags: [String]
        let proposedTo: [String]
        /// The open vacancies it can still be proposed to (not its own, not proposed yet).
        let proposable: [OptionView]
        let tagLabel: String
        let proposeLabel: String
    }

    let rows: [Row]
    let query: String
    /// `?q=<sealed>` when the pool is searched: the row forms keep the search.
    let searchQuery: String
    let notice: String?
    let error: String?
    let tagLimit = AppDatabase.poolTagLimit

    init(entries: [PoolEntry], openVacancies: [Vacancy], query: String, searchQuery: String, notice: String?, error: String?) {
        rows = entries.map { entry in
            let proposed = Set(entry.proposedTo.map(\.id))
            return Row(
                id: entry.applicationId, name: entry.name, vacancy: entry.vacancyTitle, submittedAt: Formatting.day(entry.submittedAt),
                consentUntil: Formatting.day(entry.consentUntil), tags: entry.tags, proposedTo: entry.proposedTo.map(\.title),
                proposable: openVacancies.filter { $0.id != entry.vacancyId && !proposed.contains($0.id!) }.map { OptionView(value: String($0.id!), label: $0.title, selected: false) },
                tagLabel: T("pool.tagFor", ["name": entry.name]), proposeLabel: T("pool.proposeFor", ["name": entry.name])
            )
        }
        self.query = query
        self.searchQuery = searchQuery
        self.notice = notice
        self.error = error
    }
}
