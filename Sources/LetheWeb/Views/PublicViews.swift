import Foundation
import LetheCore

// View models of the public and applicant pages. Mustache reads stored properties only, so every
// value a template shows is computed here; an optional or an empty list stands for "none".

/// One vacancy in the list of open vacancies.
struct VacancySummary {
    let id: Int64
    let title: String
    let location: String
    let closesOn: String
    let international: Bool
    /// "apply by 25 November 2026".
    let applyBy: String

    init(id: Int64, title: String, location: String, closesOn: String, international: Bool) {
        self.id = id
        self.title = title
        self.location = location
        self.closesOn = closesOn
        self.international = international
        applyBy = T("jobs.applyBy", ["date": closesOn])
    }
}

/// `/` and `/jobs`.
struct JobsView {
    let vacancies: [VacancySummary]
}

/// A form input with what the user typed and the message about it.
struct FieldView {
    let name: String
    let value: String
    let error: String?
    let checked: Bool
    /// The most characters the field takes, from its form's limits.
    let limit: Int?
    /// The limit as a reader writes it, e.g. `10,000`.
    let limitText: String?

    init(_ name: String, form: ApplicationForm, errors: FieldErrors) {
        self.name = name
        value = form.overlong.contains(name) ? "" : (form.values[name] ?? "")
        error = errors.text(name)
        checked = form.values[name] == "yes"
        limit = ApplicationForm.limits[name]
        limitText = limit?.groupedDigits
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
    /// The id of the field it links to.
    let field: String
    let message: String

    /// The messages in the form's order (`order`, top to bottom), each linking to its field: the
    /// element id is the field's name unless `ids` names another. Messages of fields not in
    /// `order` come last, by name.
    static func list(_ messages: [String: String], order: [String], ids: [String: String] = [:]) -> [ErrorSummaryItem] {
        (order + messages.keys.filter { !order.contains($0) }.sorted()).compactMap { field in
            messages[field].map { ErrorSummaryItem(field: ids[field] ?? field, message: $0) }
        }
    }
}

/// The box at the top of a refused form (`error-summary.mustache`): what was not done, then
/// every message linking to its field. The page's script moves the focus to it.
struct ErrorSummaryView {
    let heading: String
    let items: [ErrorSummaryItem]

    /// Nil when nothing failed.
    init?(heading: String, _ messages: [String: String], order: [String], ids: [String: String] = [:]) {
        guard !messages.isEmpty else { return nil }
        self.heading = heading
        items = ErrorSummaryItem.list(messages, order: order, ids: ids)
    }
}

/// A third-country destination as the transfer notice lists it.
struct DestinationView {
    let country: String
    let recipient: String
    let safeguard: String
    /// "protected by standard contractual clauses …".
    let protectedBy: String

    init(country: String, recipient: String, safeguard: TransferDestination.Safeguard) {
        self.country = country
        self.recipient = recipient
        self.safeguard = T("safeguard.\(safeguard.rawValue)")
        protectedBy = T("apply.protectedBy", ["safeguard": self.safeguard])
    }
}

/// A CV kept for the browser that sent it: "cv.pdf (120 KB) — uploaded".
struct KeptFileView {
    let name: String
    let size: String
}

/// The address has applied for this vacancy already: how to get to that application.
struct AlreadyAppliedView {
    let email: String
    /// Whether the link can be sent by e-mail (mail is on).
    let canMail: Bool
}

/// A screening question and its answer, as the panel and the applicant read them.
struct AnswerRow {
    let question: String
    let answer: String

    static func rows(_ answers: [(question: ScreeningQuestion, answer: String)]) -> [AnswerRow] {
        answers.map { question, answer in
            AnswerRow(question: question.text, answer: question.kind == .yesNo ? T(answer == "yes" ? "apply.yes" : "apply.no") : answer)
        }
    }
}

/// A screening question on the application form, with what was typed or chosen.
struct QuestionFieldView {
    let name: String
    let label: String
    let isYesNo: Bool
    let value: String
    let yes: Bool
    let no: Bool
    let error: String?
    let limit = ScreeningQuestion.answerLimit

    init(_ question: ScreeningQuestion, form: ApplicationForm, errors: FieldErrors) {
        name = question.fieldName
        label = question.text
        isYesNo = question.kind == .yesNo
        value = form.values[name] ?? ""
        yes = value == "yes"
        no = value == "no"
        error = errors.text(name)
    }
}

/// One of a vacancy's facts: "Working hours: 37 hours a week".
struct FactRow {
    let label: String
    let value: String

    /// The facts HR gave, in a fixed order; none when none was given.
    static func of(_ vacancy: Vacancy) -> [FactRow] {
        [
            ("vacancyFacts.employmentType", vacancy.employmentType.isEmpty ? "" : T("employmentType.\(vacancy.employmentType)")),
            ("vacancyFacts.hours", vacancy.hours), ("vacancyFacts.salary", vacancy.salary), ("vacancyFacts.contact", vacancy.contact),
        ].filter { !$0.1.isEmpty }.map { FactRow(label: T($0.0), value: $0.1) }
    }
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
    /// The language of the privacy notice's text (English where an old version has no Danish).
    let privacyLanguage: String
    let privacyNoticeVersion: Int
    let transferNotice: [Paragraph]
    let referenceNotice: [Paragraph]
    /// The terms this page shows, signed (see ``TermsSigner``).
    let terms: String
    /// A message about the whole form, e.g. that the terms changed while it was filled in.
    let formMessage: String?
    let maxUploadMiB: Int
    let accept: String
    let acceptedTypes: String
    /// "PDF, Word or OpenDocument text, at most 10 MiB."
    let cvHint: String
    let coverLetterHint: String
    let applyBy: String
    let privacyVersionText: String
    let errorSummary: [ErrorSummaryItem]
    let name: FieldView
    let email: FieldView
    let phone: FieldView
    let coverLetter: FieldView
    let cv: FieldView
    let privacyAck: FieldView
    let transferAck: FieldView
    let references: [ReferenceFieldsView]
    /// The CV this browser sent with a refused form, kept for it; the file field is then optional.
    let kept: KeptFileView?
    /// The privacy notice in three sentences; the full text is one click away.
    let privacySummary: String
    /// Employment type, hours, salary, contact: those HR gave.
    let facts: [FactRow]
    /// The vacancy's screening questions, each a field of the form.
    let questions: [QuestionFieldView]
    let alreadyApplied: AlreadyAppliedView?
    /// HR's preview of a vacancy that is not published: the page as applicants will see it,
    /// without a way to send the form.
    let preview: Bool
    /// What the browser-side check (public/lethe.js) says before sending a file the server
    /// would refuse: the server's own words.
    let maxUploadBytes: Int
    let tooLargeMessage: String
    let wrongTypeMessage: String

    init(
        vacancy: Vacancy, destinations: [TransferDestination], notices: [Notice.Kind: Notice], terms: String, now: Date,
        maxUploadBytes: Int, form: ApplicationForm = .init(), errors: FieldErrors = .init(), formMessage: String? = nil,
        kept: KeptFileView? = nil, retentionMonths: Int = RetentionPolicy().periodMonths, alreadyApplied: AlreadyAppliedView? = nil,
        preview: Bool = false, questions: [ScreeningQuestion] = []
    ) {
        self.questions = questions.map { QuestionFieldView($0, form: form, errors: errors) }
        self.kept = kept
        self.preview = preview
        self.alreadyApplied = alreadyApplied
        privacySummary = T("apply.privacySummary", ["period": RetentionPolicy.monthsText(retentionMonths, in: Localizer.current)])
        title = vacancy.title
        id = vacancy.id!
        location = vacancy.location
        closesOn = Formatting.day(vacancy.closesOn)
        description = Paragraph.split(vacancy.description)
        facts = FactRow.of(vacancy)
        accepting = vacancy.acceptsApplications(at: now) || (preview && vacancy.stage(at: now) == .draft)
        international = vacancy.international
        self.destinations = destinations.map {
            DestinationView(country: Formatting.country($0.country), recipient: $0.recipient, safeguard: $0.safeguard)
        }
        let language = Localizer.current.language.rawValue
        privacyNotice = Paragraph.split(notices[.privacy]?.text(in: language).body ?? "")
        privacyLanguage = notices[.privacy]?.text(in: language).language ?? language
        privacyNoticeVersion = notices[.privacy]?.version ?? 0
        privacyVersionText = T("apply.privacyVersion", ["version": String(privacyNoticeVersion)])
        applyBy = T("jobs.applyBy", ["date": closesOn])
        transferNotice = Paragraph.split(notices[.transfer]?.text(in: language).body ?? "")
        referenceNotice = Paragraph.split(notices[.reference]?.text(in: language).body ?? "")
        self.terms = terms
        self.formMessage = formMessage
        maxUploadMiB = maxUploadBytes / (1024 * 1024)
        self.maxUploadBytes = maxUploadBytes
        tooLargeMessage = T("apply.error.cvTooLarge", ["size": String(maxUploadMiB)])
        accept = ContentSniffer.allowedTypes.flatMap { $0.extensions.map { "." + $0 } }.sorted().joined(separator: ",")
        acceptedTypes = ApplicationUpload.acceptedList
        wrongTypeMessage = T("apply.error.cvType", ["types": acceptedTypes])
        cvHint = T("apply.cvHint", ["types": acceptedTypes, "size": String(maxUploadMiB)])
        coverLetterHint = T("apply.coverLetterHint", ["limit": (ApplicationForm.limits["cover_letter"] ?? 0).groupedDigits])
        // The order of the page: the CV comes last, so that its text fields are known even when
        // an upload is refused.
        let order = ["name", "email", "phone", "cover_letter"] + questions.map(\.fieldName)
            + (1...ApplicationForm.referenceSlots).flatMap { i in ["name", "contact", "relationship", "permission"].map { "reference_\(i)_\($0)" } }
            + ["privacy_ack", "transfer_ack", "cv"]
        errorSummary = ErrorSummaryItem.list(errors.messages.mapValues(\.text), order: order)
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
    let phone: String?
    let coverLetter: [Paragraph]
    let status: String
    let submittedAt: String
    let retentionUntil: String

    init(_ application: JobApplication) {
        name = application.name
        email = application.email
        phone = application.phone
        coverLetter = Paragraph.split(application.coverLetter ?? "")
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
    /// "3 March 2027, 10:00: until …, given by you, standing".
    let line: String

    init(_ consent: Consent, readByApplicant: Bool) {
        givenAt = Formatting.dateTime(consent.givenAt)
        until = Formatting.day(consent.until)
        let byApplicant = T(readByApplicant ? "receipt.consentByYou" : "consentHistory.byApplicant")
        how = consent.method == .hr ? T("consentHistory.byHR", ["evidence": consent.evidence ?? ""]) : byApplicant
        state = consent.withdrawnAt.map { T("consentHistory.withdrawn", ["date": Formatting.dateTime($0)]) } ?? T("consentHistory.standing")
        line = T("consentHistory.line", ["given": givenAt, "until": until, "how": how, "state": state])
    }
}

/// `/me/<token>`: what is stored about the applicant and when it will be erased.
struct ReceiptView {
    /// The other vacancies HR showed the application to from the talent pool, as sentences.
    var shownTo: [String] = []
    /// A change confirmed in its section (`messages`), where the browser returns, instead of at the top.
    var sectionNotice: [String: String] = [:]
    /// The answers to the vacancy's screening questions.
    var answers: [AnswerRow] = []

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
        let relationship: String?
        let permission: String
        let canWithdraw: Bool
        let checks: [CheckRow]
        /// "Withdraw permission to contact Rolf".
        let withdrawLabel: String
    }

    struct CheckRow {
        let contactedOn: String
        let summary: String
        /// "Contacted on 3 March 2027: …".
        let contacted: String

        init(contactedOn: String, summary: String) {
            self.contactedOn = contactedOn
            self.summary = summary
            contacted = T("receipt.contacted", ["date": Formatting.day(contactedOn), "summary": summary])
        }
    }

    struct NoticeRow {
        let kind: String
        let version: Int
        let sha256: String
        let acknowledgedAt: String
        /// The partners listed with a transfer notice.
        let shown: String?
        /// The version published since, when the one acknowledged is no longer current.
        let newerVersion: Int?
        /// The whole entry as a sentence.
        let line: String
        /// The text read, in the language it was read in.
        let paragraphs: [Paragraph]
        let lang: String
    }

    struct TransferRow {
        /// "CV and cover letter, shared on … with Partner Inc., United States (US), protected by …".
        let line: String
    }

    struct ConsentOption {
        let months: Int
        let until: String
        let checked: Bool
        /// "25 November 2027 (12 months from today)".
        let label: String
    }

    /// The consent that keeps the application now.
    struct StandingConsent {
        let until: String
        let method: String
        /// What it means, with the ordinary end.
        let sentence: String
    }

    /// "For Archivist, submitted …. Status: Received."
    let lead: String
    /// What the status means for the applicant.
    let statusMeaning: String
    /// The private link in full, to copy.
    let privateLink: String
    /// "It will be erased on …, unless you consent …".
    let erasureSentence: String

    let vacancyTitle: String
    let applicant: ApplicantDetails
    let documents: [DocumentRow]
    let references: [ReferenceRow]
    let notices: [NoticeRow]
    let transfers: [TransferRow]
    let justSubmitted: Bool
    let notice: String?
    let error: String?
    let basePath: String
    /// Whether the vacancy is international: only then is there anything to say about sharing
    /// outside the EU/EEA.
    let international: Bool
    let consent: StandingConsent?
    let consentText: [Paragraph]
    /// The consent text's version, signed into the consent form.
    let consentTerms: String
    let consentOptions: [ConsentOption]
    let canExtend: Bool
    let ordinaryEnd: String
    let consents: [ConsentRow]
    /// The messages between the hiring panel and the applicant.
    let thread: [ThreadRow]
    /// An answer being written, kept when it was refused.
    let reply: String
    let replyError: String?
    let replyLimit = ReplyForm.limits["body"]!

    init(record: ApplicationRecord, token: String, justSubmitted: Bool, notice: String? = nil, error: String? = nil,
         currentNotices: [Notice.Kind: Notice], consentTerms: String, policy: RetentionPolicy, now: Date,
         reply: String = "", replyError: String? = nil, publicURL: String = "") {
        let app = record.application
        vacancyTitle = record.vacancy.title
        applicant = ApplicantDetails(app)
        documents = record.documents.map {
            DocumentRow(id: $0.id!, name: $0.originalName, type: Formatting.typeLabel($0.mediaType), size: Formatting.size($0.size))
        }
        references = record.references.map { info in
            let reference = info.reference
            return ReferenceRow(
                id: reference.id!, name: reference.name, contact: reference.contact, relationship: reference.relationship.isEmpty ? nil : reference.relationship,
                permission: T(reference.permissionWithdrawnAt != nil ? "receipt.permission.withdrawn" : (reference.permissionGiven ? "receipt.permission.given" : "receipt.permission.none")),
                canWithdraw: reference.permissionStands,
                checks: info.checks.map { CheckRow(contactedOn: $0.check.contactedOn, summary: $0.check.summary) },
                withdrawLabel: T("receipt.withdrawPermission", ["name": reference.name])
            )
        }
        notices = record.acknowledgements.map { acknowledged in
            let current = currentNotices[acknowledged.notice.kind]?.version ?? acknowledged.notice.version
            let kind = Formatting.noticeLabel(acknowledged.notice.kind), version = acknowledged.notice.version
            let read = acknowledged.notice.text(in: acknowledged.acknowledgement.language)
            let sha = String(read.sha256.prefix(12)), at = Formatting.dateTime(acknowledged.acknowledgement.acknowledgedAt)
            let shown = acknowledged.acknowledgement.shownDetail.isEmpty ? nil : acknowledged.acknowledgement.shownDetail
            let newer = current > version ? current : nil
            var line = T("receipt.noticeLine", ["kind": kind, "version": String(version), "date": at])
            if let shown { line += T("receipt.noticePartners", ["partners": shown]) }
            if let newer { line += T("receipt.noticeNewer", ["version": String(newer)]) }
            return NoticeRow(kind: kind, version: version, sha256: sha, acknowledgedAt: at, shown: shown, newerVersion: newer, line: line,
                             paragraphs: Paragraph.split(read.body), lang: read.language)
        }
        transfers = record.transfers.map {
            TransferRow(line: T("receipt.transferLine", [
                "what": $0.record.what, "date": Formatting.day($0.record.sharedOn), "recipient": $0.destination.recipient,
                "country": Formatting.country($0.destination.country), "safeguard": T("safeguard.\($0.destination.safeguard.rawValue)"),
            ]))
        }
        self.justSubmitted = justSubmitted
        self.notice = notice
        self.error = error
        basePath = "/me/\(token)"
        international = record.vacancy.international
        let ordinary = Formatting.day(policy.baseEnd(submittedAt: app.submittedAt))
        consent = record.standingConsent.map {
            StandingConsent(
                until: Formatting.day($0.until), method: T($0.method == .hr ? "receipt.consentByHR" : "receipt.consentByYou"),
                sentence: T("receipt.consentStanding", ["until": Formatting.day($0.until), "ordinary": ordinary])
            )
        }
        lead = T("receipt.lead", ["title": record.vacancy.title, "date": Formatting.dateTime(app.submittedAt), "status": Formatting.status(app.status)])
        statusMeaning = T("statusMeaning.\(app.status.rawValue)")
        privateLink = publicURL + "/me/\(token)"
        erasureSentence = consent.map { T("receipt.erasedOnConsented", ["date": Formatting.day(app.retentionUntil), "how": $0.method]) }
            ?? T("receipt.erasedOn", ["date": Formatting.day(app.retentionUntil)])
        consentText = Paragraph.split(currentNotices[.retention]?.text(in: Localizer.current.language.rawValue).body ?? "")
        self.consentTerms = consentTerms
        let maximum = policy.maximumEnd(submittedAt: app.submittedAt)
        consentOptions = ConsentForm.months.map { months in
            let until = min(policy.adding(months: months, to: now), maximum)
            return ConsentOption(months: months, until: Formatting.day(until), checked: months == ConsentForm.months[0],
                                 label: T("receipt.consentOption", ["date": Formatting.day(until), "months": String(months)]))
        }
        canExtend = maximum > app.retentionUntil
        ordinaryEnd = Formatting.day(policy.baseEnd(submittedAt: app.submittedAt))
        consents = record.consents.map { ConsentRow($0, readByApplicant: true) }
        thread = ThreadRow.rows(record, readByApplicant: true)
        self.reply = reply
        self.replyError = replyError
    }
}

/// `/me`: asks for a new private link by e-mail.
struct LostLinkView {
    let email: String
    var error: String? = nil
    var sent = false
    let mailOff: Bool
    let emailLimit = LostLinkForm.limits["email"]!
}

/// `/me/<token>/withdraw`: the confirmation step before an application is erased.
struct WithdrawView {
    let vacancyTitle: String
    let basePath: String
    let lead: String

    init(vacancyTitle: String, basePath: String) {
        self.vacancyTitle = vacancyTitle
        self.basePath = basePath
        lead = T("withdraw.lead", ["title": vacancyTitle])
    }
}

/// The page after an application was withdrawn and erased.
struct WithdrawnView {}

/// An error page.
struct ErrorView {
    let title: String
    let status: Int
    let message: String
}
