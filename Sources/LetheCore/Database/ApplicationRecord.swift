import Foundation
import GRDB

/// An application with everything stored about it: what its applicant sees on the private
/// link and in the export, what HR sees of its retention, what its panel sees.
public struct ApplicationRecord: Decodable, FetchableRecord, Sendable {
    /// A reference with the checks made of it.
    public struct ReferenceInfo: Decodable, Sendable {
        public var reference: Reference
        public var checks: [CheckInfo]
    }

    /// A reference check with its author's name (nil when their account is gone).
    public struct CheckInfo: Decodable, Sendable {
        public var check: ReferenceCheck
        public var author: StaffName?
    }

    /// A notice acknowledgement with the exact version acknowledged.
    public struct AcknowledgementInfo: Decodable, Sendable {
        public var acknowledgement: NoticeAcknowledgement
        public var notice: Notice
    }

    /// A transfer with the partner it went to.
    public struct TransferInfo: Decodable, Sendable {
        public var record: TransferRecord
        public var destination: TransferDestination
    }

    /// An assessment with its author's name.
    public struct AssessmentInfo: Decodable, Sendable {
        public var assessment: Assessment
        public var author: StaffName
    }

    /// A status change with its author's name (nil when their account is gone).
    public struct StatusChangeInfo: Decodable, Sendable {
        public var change: StatusChange
        public var author: StaffName?
    }

    public var application: JobApplication
    public var vacancy: Vacancy
    public var documents: [Document]
    public var references: [ReferenceInfo]
    /// The notices acknowledged, with the exact version shown and what was listed with it.
    public var acknowledgements: [AcknowledgementInfo]
    /// The partners the applicant was told about when applying (removed ones included).
    public var acknowledgedDestinations: [TransferDestination]
    /// Who the application was shared with outside the EU/EEA.
    public var transfers: [TransferInfo]
    /// Consents to extended retention, oldest first.
    public var consents: [Consent]
    /// The panel's assessments, oldest first.
    public var assessments: [AssessmentInfo]
    /// The status changes after submission, oldest first.
    public var statusChanges: [StatusChangeInfo]

    /// A thread message with the name of the panel member who wrote it.
    public struct MessageInfo: Decodable, Sendable {
        public var message: ThreadMessage
        public var writer: StaffName?
    }

    /// The thread between the panel and the applicant, oldest first.
    public var messages: [MessageInfo]

    /// The request that loads it all: one query per association, no loop. Built once:
    /// assembling the associations (keys inflected, relations copied) was a twentieth of the
    /// panel's application page.
    static let all: QueryInterfaceRequest<ApplicationRecord> =
        JobApplication
            .including(required: JobApplication.vacancy)
            .including(all: JobApplication.documents)
            .including(all: JobApplication.references.including(all: Reference.checks.including(optional: ReferenceCheck.author.select(StaffUser.Columns.name))))
            .including(all: JobApplication.acknowledgements.including(required: NoticeAcknowledgement.notice))
            .including(all: JobApplication.acknowledgedDestinations)
            .including(all: JobApplication.transfers.including(required: TransferRecord.destination))
            .including(all: JobApplication.consents)
            .including(all: JobApplication.assessments.including(required: Assessment.author.select(StaffUser.Columns.name)))
            .including(all: JobApplication.statusChanges.including(optional: StatusChange.author.select(StaffUser.Columns.name)))
            .including(all: JobApplication.messages.including(optional: ThreadMessage.writer.select(StaffUser.Columns.name)))
            .asRequest(of: ApplicationRecord.self)

    /// The consent that currently extends retention, if any.
    public var standingConsent: Consent? {
        consents.filter(\.isActive).max { $0.until < $1.until }
    }

    /// The partners a transfer may be recorded to now: told about, and not removed since.
    public var transferablePartners: [TransferDestination] {
        vacancy.international ? acknowledgedDestinations.filter { $0.removedAt == nil } : []
    }

    /// The checks of one reference.
    public func checks(of reference: Reference) -> [CheckInfo] {
        references.first { $0.reference.id == reference.id }?.checks ?? []
    }
}
