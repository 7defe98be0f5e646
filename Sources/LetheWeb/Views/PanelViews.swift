import Foundation
import LetheCore
import Mustache

// View models of the hiring panel's pages.

/// `/staff`: the vacancies on the user's panels.
struct StaffHomeView {
    struct Row {
        let id: Int64
        let title: String
        let status: String
        let closesOn: String
        let applications: Int
    }

    let vacancies: [Row]

    init(_ vacancies: [PanelVacancy], now: Date) {
        self.vacancies = vacancies.map {
            Row(id: $0.vacancy.id!, title: $0.vacancy.title, status: T("vacancyStatus.\($0.vacancy.stage(at: now).rawValue)"), closesOn: Formatting.day($0.vacancy.closesOn), applications: $0.applicationCount)
        }
    }
}

/// `/staff/vacancies/<id>`: a vacancy's applications, searchable, sortable and paged.
struct StaffVacancyView {
    struct Row {
        let id: Int64
        let name: String
        let status: String
        let submittedAt: String
        /// "Yes" / "No": whether the viewer has assessed it.
        let assessedByMe: String
        /// The panel's mean score, or a dash until the viewer has assessed it (blind scoring).
        let average: String
        let selectLabel: String
        let selected: Bool
        /// Proposed to this vacancy from the talent pool.
        let fromPool: Bool

        init(_ row: ApplicationListRow, selected: Bool) {
            id = row.id
            name = row.name
            status = Formatting.status(row.status)
            submittedAt = Formatting.dateTime(row.submittedAt)
            assessedByMe = T(row.assessedByMe ? "staffVacancy.yes" : "staffVacancy.no")
            average = row.averageScore.map(Formatting.score) ?? "—"
            selectLabel = T("staffVacancy.select", ["name": row.name])
            self.selected = selected
            fromPool = row.fromPool
        }
    }

    let title: String
    let vacancyId: Int64
    let query: String
    let searchLimit: Int
    let sorts: [LinkView]
    /// "All", then one link per status: the list filtered.
    let filters: [LinkView]
    let rows: [Row]
    /// The statuses the selected applications can be moved to.
    let statusOptions: [OptionView]
    let notice: String?
    let bulkError: String?
    /// Where the bulk form posts: this list's own query, so a refusal shows the same list.
    let bulkAction: String
    let summary: String
    /// The pager's links; empty when there is one page.
    let pages: [LinkView]
}

/// `/staff/applications/<id>`: one application for the panel.
struct StaffApplicationView {
    struct DocumentRow {
        let href: String
        /// The address for the page's viewer frame; a PDF only.
        let viewHref: String?
        let name: String
        let type: String
        let size: String
    }

    struct ReferenceRow {
        let id: Int64
        let position: Int
        let name: String
        let contact: String
        let relationship: String?
        let permission: String
        let permitted: Bool
        let checks: [CheckRow]
    }

    struct CheckRow {
        let contactedOn: String
        let summary: String
        let by: String
        /// "Contacted on 3 March 2027 by Pia:".
        let contactedBy: String

        init(contactedOn: String, summary: String, by: String) {
            self.contactedOn = contactedOn
            self.summary = summary
            self.by = by
            contactedBy = T("staffApp.contactedBy", ["date": Formatting.day(contactedOn), "by": by])
        }
    }

    struct DestinationOption {
        let id: Int64
        let label: String
    }

    struct TransferRow {
        let recipient: String
        let what: String
        let sharedOn: String
        let line: String

        init(recipient: String, what: String, sharedOn: String) {
            self.recipient = recipient
            self.what = what
            self.sharedOn = sharedOn
            line = T("staffApp.transferLine", ["what": what, "date": Formatting.day(sharedOn), "recipient": recipient])
        }
    }

    struct HistoryRow {
        let status: String
        let by: String
        let at: String
        let line: String

        init(status: String, by: String, at: String) {
            self.status = status
            self.by = by
            self.at = at
            line = T("staffApp.historyLine", ["status": status, "by": by, "at": at])
        }
    }

    struct AssessmentRow {
        let author: String
        let competencies: Int
        let qualifications: Int
        let experience: Int
        let notes: String
        let updatedAt: String
    }

    struct AveragesView {
        let competencies: String
        let qualifications: String
        let experience: String
        let overall: String
        let line: String
    }

    struct ScoreField {
        let name: String
        let label: String
        let options: [ScoreOption]
        /// Marked when the assessment was refused and this score is missing.
        let missing: Bool
    }

    struct ScoreOption {
        let value: Int
        let selected: Bool
    }

    let title: String
    let id: Int64
    /// The same id, under a name that stays clear inside the references list.
    let applicationId: Int64
    let vacancyId: Int64
    let vacancyTitle: String
    let applicant: ApplicantDetails
    let documents: [DocumentRow]
    let references: [ReferenceRow]
    let history: [HistoryRow]
    let statusOptions: [OptionView]
    /// The assessments the viewer may read: none of colleagues' before their own (blind scoring).
    let assessments: [AssessmentRow]
    /// "2 colleagues have assessed …": said while their scores are hidden from the viewer.
    let blindNote: String?
    /// The averages per criterion, once the viewer may see them.
    let averages: AveragesView?
    let scoreFields: [ScoreField]
    let myNotes: String
    let hasMyAssessment: Bool
    let formError: String?
    let notice: String?
    let international: Bool
    /// The partners a transfer may be recorded to; empty when none may.
    let destinations: [DestinationOption]
    let transfers: [TransferRow]
    let today: String
    /// Field limits, from the panel's forms.
    let limits: [String: Int]
    /// The messages between the panel and the applicant.
    let thread: [ThreadRow]
    let composer: MessageComposer

    /// "Submitted … · status: … · erased on … unless the applicant consents to longer".
    let staffMeta: String
    /// The applications above and below this one in the vacancy's list (newest first).
    var neighbours: NeighboursView?
    /// Whether the viewer may change its status, record checks and write to the applicant (not
    /// when they see it through a talent-pool proposal).
    var mayDecide = true
    /// The answers to the vacancy's screening questions, beside the CV.
    var answers: [AnswerRow] = []
    /// "Your assessment was saved.", by the id of the section it belongs to.
    var sectionNotice: [String: String] = [:]

    /// `typed`: an assessment that was refused, shown again as it was typed.
    init(record: ApplicationRecord, user: StaffUser, now: Date, formError: String? = nil, notice: String? = nil, composer: MessageComposer, typed: FormValues? = nil) {
        let app = record.application
        staffMeta = T("staffApp.meta", ["date": Formatting.dateTime(app.submittedAt), "status": Formatting.status(app.status), "erased": Formatting.day(app.retentionUntil)])
        title = app.name
        id = app.id!
        applicationId = app.id!
        vacancyId = record.vacancy.id!
        vacancyTitle = record.vacancy.title
        applicant = ApplicantDetails(app)
        documents = record.documents.map {
            DocumentRow(href: "/staff/applications/\(app.id!)/documents/\($0.id!)",
                        viewHref: $0.mediaType == DocumentResponse.viewableType ? "/staff/applications/\(app.id!)/documents/\($0.id!)/view" : nil,
                        name: $0.originalName, type: Formatting.typeLabel($0.mediaType), size: Formatting.size($0.size))
        }
        references = record.references.map { info in
            let reference = info.reference
            let permission = T(reference.permissionWithdrawnAt != nil ? "staffApp.permission.withdrawn" : (reference.permissionGiven ? "staffApp.permission.given" : "staffApp.permission.none"))
            return ReferenceRow(
                id: reference.id!, position: reference.position, name: reference.name, contact: reference.contact,
                relationship: reference.relationship.isEmpty ? nil : reference.relationship, permission: permission, permitted: reference.permissionStands,
                checks: info.checks.map { CheckRow(contactedOn: $0.check.contactedOn, summary: $0.check.summary, by: Formatting.author($0.author)) }
            )
        }
        history = [HistoryRow(status: Formatting.status(.received), by: T("staffApp.byApplicant"), at: Formatting.dateTime(app.submittedAt))]
            + record.statusChanges.map { HistoryRow(status: Formatting.status($0.change.status), by: Formatting.author($0.author), at: Formatting.dateTime($0.change.changedAt)) }
        statusOptions = JobApplication.Status.allCases.map { OptionView(value: $0.rawValue, label: Formatting.status($0), selected: $0 == app.status) }
        let scorecard = BlindScorecard(record.assessments, viewer: user.id!) { $0.assessment }
        assessments = scorecard.visible.map {
            AssessmentRow(author: $0.author.name, competencies: $0.assessment.competencies, qualifications: $0.assessment.qualifications, experience: $0.assessment.experience, notes: $0.assessment.notes, updatedAt: Formatting.dateTime($0.assessment.updatedAt))
        }
        blindNote = switch scorecard.hiddenCount {
        case 0: nil
        case 1: T("staffApp.blindOne")
        default: T("staffApp.blindMany", ["count": String(scorecard.hiddenCount)])
        }
        averages = scorecard.averages.map {
            AveragesView(
                competencies: Formatting.score($0.competencies), qualifications: Formatting.score($0.qualifications),
                experience: Formatting.score($0.experience), overall: Formatting.score($0.overall),
                line: T("staffApp.averageOverall", ["score": Formatting.score($0.overall), "count": String(scorecard.visible.count)])
            )
        }
        let mine = scorecard.mine?.assessment
        let myScores = typed.map { typed in AssessmentForm.scoreFields.map { typed[$0].flatMap { Int($0) } } }
            ?? [mine?.competencies, mine?.qualifications, mine?.experience]
        scoreFields = zip(AssessmentForm.scoreFields, myScores).map { field, score in
            ScoreField(name: field, label: T("score.\(field)"), options: AssessmentForm.scores.map { ScoreOption(value: $0, selected: $0 == score) },
                       missing: typed != nil && score.map { !AssessmentForm.scores.contains($0) } ?? true)
        }
        myNotes = typed.map { $0.raw["notes"] ?? "" } ?? mine?.notes ?? ""
        hasMyAssessment = mine != nil
        self.formError = formError
        self.notice = notice
        international = record.vacancy.international
        destinations = record.transferablePartners.map { DestinationOption(id: $0.id!, label: "\($0.recipient), \(Formatting.country($0.country))") }
        transfers = record.transfers.map { TransferRow(recipient: "\($0.destination.recipient), \(Formatting.country($0.destination.country))", what: $0.record.what, sharedOn: $0.record.sharedOn) }
        today = RetentionPolicy(timeZone: Localizer.current.timeZone).day(of: now)
        limits = AssessmentForm.limits.merging(ReferenceCheckForm.limits) { a, _ in a }.merging(TransferForm.limits) { a, _ in a }
            .merging(StaffMessageForm.limits) { a, _ in a }
        thread = ThreadRow.rows(record, readByApplicant: false)
        self.composer = composer
    }
}

/// Links to the previous and next application of the list.
struct NeighboursView {
    let previous: String?
    let next: String?
}

/// The form where a panel member writes to the applicant: a draft (empty, from a template, or
/// kept after a refusal), its errors, and links that start from each of HR's templates.
struct MessageComposer {
    var subject = ""
    var body = ""
    var subjectError: String?
    var bodyError: String?
    let starters: [LinkView]
    /// Whether the e-mail goes out; when mail is off the message waits on the private link.
    let mailOff: Bool

    init(applicationId: Int64, mailOff: Bool, chosen: MessageTemplate.Purpose? = nil) {
        starters = MessageTemplate.Purpose.allCases.map {
            LinkView(label: T("template.\($0.rawValue)"), href: "/staff/applications/\(applicationId)?template=\($0.rawValue)#messages", current: $0 == chosen)
        }
        self.mailOff = mailOff
    }
}

/// The panel's home answers by name, not through `Mirror`: it is the page a panel member opens
/// most, and reflecting its view was a twentieth of it (bench/README.md, fourteenth pass).
extension StaffHomeView: MustacheParent {
    func child(named name: String) -> Any? {
        name == "vacancies" ? vacancies : nil
    }
}

extension StaffHomeView.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "status": status
        case "closesOn": closesOn
        case "applications": applications
        default: nil
        }
    }
}

/// A list row answers the template by name, not through `Mirror`: a page has up to fifty rows
/// of a dozen lookups each, and reflection was a third of the page's time (bench/README.md).
extension StaffVacancyView.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "status": status
        case "submittedAt": submittedAt
        case "assessedByMe": assessedByMe
        case "average": average
        case "selectLabel": selectLabel
        case "selected": selected
        case "fromPool": fromPool
        default: nil
        }
    }
}
