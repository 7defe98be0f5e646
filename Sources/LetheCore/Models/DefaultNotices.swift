/// The organisation responsible for the applicants' data, as the privacy notice names it.
public struct DataController: Sendable {
    /// Name and address, e.g. "Example A/S, Eksempelvej 1, 1000 København K".
    public var name: String
    /// Where applicants write about their data, e.g. "privacy@example.dk".
    public var contact: String

    /// Names the controller.
    public init(name: String, contact: String) {
        self.name = name
        self.contact = contact
    }
}

/// The first published version of each notice. Later versions are published by HR and stored;
/// these texts are only used to seed an empty database.
enum DefaultNotices {
    static func body(of kind: Notice.Kind, controller: DataController, policy: RetentionPolicy) -> String {
        switch kind {
        case .privacy: privacy(controller, policy)
        case .reference: reference
        case .transfer: transfer
        case .retention: retention(policy)
        }
    }

    static func privacy(_ controller: DataController, _ policy: RetentionPolicy) -> String { """
        Who is responsible. \(controller.name) is the data controller for your application. You can reach our \
        data-protection contact at \(controller.contact).

        What we process and why. We process your name and contact details and what you share in your CV and \
        application. We use them to communicate with you, to share your application with the members of the hiring \
        panel for this vacancy, to assess your competencies, qualifications and experience, and, where you name \
        references and give your permission, to take references. By applying you consent to this processing \
        (Art. 6(1)(a) GDPR); you may withdraw your application at any time.

        Who can see it. Your application is kept in our HR system and can only be accessed by the staff who sit \
        on the hiring panel for this vacancy.

        How long we keep it. Your application is deleted \(policy.periodText) after you submit it, unless you consent to \
        our keeping it for longer. You can give and withdraw that consent yourself through your private link.

        Your rights. You have the right to see the data we hold about you, to receive a copy, to have it \
        corrected or erased, to restrict or object to its processing, and to withdraw your consent. Your private \
        link shows what is stored and lets you download a copy or withdraw your application. You may complain \
        to the supervisory authority, in Denmark Datatilsynet (www.datatilsynet.dk).
        """
    }

    static let reference = """
        If you give permission for a reference, a member of the hiring panel may contact that person by the \
        contact details you give, to ask about your work, your role and how you worked with others. We record \
        who was contacted, when, and a short summary. We do this on the basis of our legitimate interest in \
        assessing applicants (Art. 6(1)(f) GDPR), and only with your informed permission for each reference; \
        it is not consent in the sense of Art. 6(1)(a). You can withdraw the permission for a reference at any \
        time through your private link; after that no check of that reference is made.
        """

    static let transfer = """
        This is an international position. Your application may be transferred to and shared with the partners \
        named below, in a country outside the EU/EEA where EU data-protection law does not apply directly. We \
        make sure that your data stays protected as the GDPR requires, by the safeguard named for each partner. \
        You can obtain a copy of the safeguards by writing to our data-protection contact, named in the privacy notice.
        """

    static func retention(_ policy: RetentionPolicy) -> String { """
        I consent to the organisation keeping my application, including my CV, after the usual \(policy.periodText), until \
        the date I choose, so that I can be considered for other positions. I can withdraw this consent at any \
        time through my private link, and my application is then deleted when the usual period has ended.
        """
    }
}
