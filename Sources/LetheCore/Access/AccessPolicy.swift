/// The one place that decides who may see or do what with a vacancy's applications.
///
/// Controllers never decide: they ask ``AppDatabase/authorize(_:_:vacancyId:)``, which gathers
/// the facts (role, account state, panel membership) and asks this policy.
public enum AccessPolicy {
    /// What a signed-in user wants to do.
    public enum Action: String, Sendable, CaseIterable {
        /// See a vacancy's list of applications.
        case listApplications
        /// Read one application (fields, letter, references, assessments).
        case viewApplication
        /// Download a document.
        case downloadDocument
        /// Write or edit one's own assessment.
        case assess
        /// Move an application through the hiring statuses.
        case changeStatus
        /// Record a reference check or a transfer.
        case recordCheck
        /// Write to the applicant in the application's thread.
        case writeToApplicant
        /// Add or remove panel members, edit or close the vacancy.
        case managePanel
    }

    /// The facts a decision rests on.
    public struct Facts: Sendable, Equatable {
        public var role: StaffUser.Role
        public var isDisabled: Bool
        /// Whether the user sits on the panel of the vacancy in question (for an application:
        /// the vacancy it was sent to).
        public var isPanelMember: Bool
        /// For an application: whether the user sits on the panel of another vacancy HR proposed
        /// it to from the talent pool, while the applicant's extended-retention consent is live.
        public var isPanelOfPoolProposal: Bool

        /// Bundles the facts.
        public init(role: StaffUser.Role, isDisabled: Bool = false, isPanelMember: Bool, isPanelOfPoolProposal: Bool = false) {
            self.role = role
            self.isDisabled = isDisabled
            self.isPanelMember = isPanelMember
            self.isPanelOfPoolProposal = isPanelOfPoolProposal
        }

        /// The facts of `user` (role, disabled or not) with those read about the subject.
        public init(_ user: StaffUser, isPanelMember: Bool, isPanelOfPoolProposal: Bool = false) {
            self.init(role: user.role, isDisabled: user.disabledAt != nil, isPanelMember: isPanelMember, isPanelOfPoolProposal: isPanelOfPoolProposal)
        }
    }

    /// Whether `action` is allowed given `facts`.
    ///
    /// Applications are for the panel only: HR manages panels but reads CVs, letters and
    /// assessments only where HR sits on that panel. An application proposed from the talent
    /// pool may also be read, downloaded and assessed by the panel it was proposed to, while
    /// the applicant's consent lasts; deciding on it (status, checks, messages) stays with the
    /// panel of the vacancy it was sent to.
    public static func permits(_ action: Action, _ facts: Facts) -> Bool {
        guard !facts.isDisabled else { return false }
        switch action {
        case .viewApplication, .downloadDocument, .assess:
            return facts.isPanelMember || facts.isPanelOfPoolProposal
        case .listApplications, .changeStatus, .recordCheck, .writeToApplicant:
            return facts.isPanelMember
        case .managePanel:
            return facts.role == .hr
        }
    }

    /// Whether the user may use the HR pages (accounts, vacancies, retention).
    public static func mayAdminister(_ user: StaffUser) -> Bool {
        // The HR pages are managing in general: the same rule as managing a panel, on any vacancy.
        permits(.managePanel, .init(user, isPanelMember: false))
    }
}
