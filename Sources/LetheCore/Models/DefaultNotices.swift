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

/// The first published version of each notice, in English and Danish. Later versions are
/// published by HR and stored; these texts only seed an empty database.
///
/// The privacy notice names the purposes the organisation states for applicant data and the
/// legal bases Danish practice uses: the applicant's request to enter into a contract and the
/// organisation's legitimate interest for the application itself (GDPR art. 6(1)(b) and (f)),
/// consent only for keeping it longer (art. 6(1)(a)), and legitimate interest with the
/// applicant's informed permission for references.
enum DefaultNotices {
    static func body(of kind: Notice.Kind, controller: DataController, policy: RetentionPolicy) -> String {
        switch kind {
        case .privacy: privacy(controller, policy)
        case .reference: reference
        case .transfer: transfer
        case .retention: retention(policy)
        }
    }

    static func danishBody(of kind: Notice.Kind, controller: DataController, policy: RetentionPolicy) -> String {
        switch kind {
        case .privacy: privacyDanish(controller, policy)
        case .reference: referenceDanish
        case .transfer: transferDanish
        case .retention: retentionDanish(policy)
        }
    }

    static func privacy(_ controller: DataController, _ policy: RetentionPolicy) -> String { """
        Who is responsible. \(controller.name) is the data controller for your application. You can reach our \
        data-protection contact at \(controller.contact).

        What we process. Your name and contact details, and what you choose to share in your CV and application, \
        including any references you name.

        Why we process it. To communicate with you as an applicant; to share your application with the members \
        of the hiring panel for this vacancy; to assess your competencies, qualifications and experience; and, \
        where you give a reference's contact details and your permission, to take references.

        On what legal basis. We process your application because you ask us to consider you for a position, \
        which is a step before entering into a contract at your request (Art. 6(1)(b) GDPR), and because we have \
        a legitimate interest in assessing applicants and filling the position (Art. 6(1)(f)). We take a \
        reference on the basis of our legitimate interest, and only with your informed permission. We ask for \
        your consent (Art. 6(1)(a)) only to keep your application after the usual period.

        Transfers. For an international position your application may be shared with partners in a country \
        outside the EU/EEA; the vacancy then says so and names each partner and the safeguard that protects your data.

        Who can see it. Only the staff who sit on the hiring panel for this vacancy.

        How long we keep it. Your application is erased \(policy.periodText) after you submit it, unless you \
        consent to our keeping it for longer. You can give and withdraw that consent yourself through your private link.

        Your rights. You may see the data we hold about you, receive a copy, have it corrected or erased, \
        restrict or object to its processing, and withdraw a consent. Your private link shows what is stored and \
        lets you download a copy or withdraw your application. You may complain to Datatilsynet, the Danish \
        Data Protection Agency (www.datatilsynet.dk).
        """
    }

    static func privacyDanish(_ controller: DataController, _ policy: RetentionPolicy) -> String {
        let period = RetentionPolicy.monthsText(policy.periodMonths, language: "da")
        return """
        Hvem er ansvarlig. \(controller.name) er dataansvarlig for din ansøgning. Du kan kontakte os om \
        databeskyttelse på \(controller.contact).

        Hvad vi behandler. Dit navn og dine kontaktoplysninger og det, du vælger at dele i dit CV og din \
        ansøgning, herunder de referencer, du nævner.

        Hvorfor vi behandler det. For at kommunikere med dig som ansøger; for at dele din ansøgning med \
        medlemmerne af ansættelsesudvalget for denne stilling; for at vurdere dine kompetencer, kvalifikationer og \
        erfaring; og, hvor du giver en references kontaktoplysninger og din tilladelse, for at indhente referencer.

        Retsgrundlag. Vi behandler din ansøgning, fordi du beder os om at tage dig i betragtning til en stilling, \
        hvilket er et skridt forud for indgåelse af en kontrakt på din anmodning (databeskyttelsesforordningens \
        art. 6, stk. 1, litra b), og fordi vi har en legitim interesse i at vurdere ansøgere og besætte stillingen \
        (art. 6, stk. 1, litra f). Vi indhenter referencer på grundlag af vores legitime interesse og kun med din \
        informerede tilladelse. Vi beder kun om dit samtykke (art. 6, stk. 1, litra a) til at gemme din ansøgning \
        ud over den sædvanlige periode.

        Overførsel. Ved en international stilling kan din ansøgning blive delt med partnere i et land uden for \
        EU/EØS; stillingsopslaget siger det da og nævner hver partner og den garanti, der beskytter dine oplysninger.

        Hvem kan se den. Kun de medarbejdere, der sidder i ansættelsesudvalget for denne stilling.

        Hvor længe vi gemmer den. Din ansøgning slettes \(period) efter, at du har sendt den, medmindre du giver \
        samtykke til, at vi gemmer den længere. Du kan selv give og trække samtykket tilbage via dit private link.

        Dine rettigheder. Du kan få indsigt i de oplysninger, vi har om dig, få en kopi, få dem rettet eller \
        slettet, begrænse eller gøre indsigelse mod behandlingen og trække et samtykke tilbage. Dit private link \
        viser, hvad vi har gemt, og lader dig hente en kopi eller trække din ansøgning tilbage. Du kan klage til \
        Datatilsynet (www.datatilsynet.dk).
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

    static let referenceDanish = """
        Hvis du giver tilladelse til en reference, må et medlem af ansættelsesudvalget kontakte personen via de \
        kontaktoplysninger, du giver, for at spørge til dit arbejde, din rolle og dit samarbejde med andre. Vi \
        registrerer, hvem der blev kontaktet, hvornår, og et kort resumé. Det sker på grundlag af vores legitime \
        interesse i at vurdere ansøgere (databeskyttelsesforordningens art. 6, stk. 1, litra f), og kun med din \
        informerede tilladelse til hver reference; det er ikke et samtykke efter art. 6, stk. 1, litra a. Du kan \
        til enhver tid trække tilladelsen til en reference tilbage via dit private link; derefter kontaktes \
        referencen ikke.
        """

    static let transfer = """
        This is an international position. Your application may be transferred to and shared with the partners \
        named below, in a country outside the EU/EEA where EU data-protection law does not apply directly. We \
        make sure that your data stays protected as the GDPR requires, by the safeguard named for each partner. \
        You can obtain a copy of the safeguards by writing to our data-protection contact, named in the privacy notice.
        """

    static let transferDanish = """
        Dette er en international stilling. Din ansøgning kan blive overført til og delt med de partnere, der er \
        nævnt nedenfor, i et land uden for EU/EØS, hvor EU's databeskyttelsesregler ikke gælder direkte. Vi sørger \
        for, at dine oplysninger forbliver beskyttet, som databeskyttelsesforordningen kræver, ved den garanti, der \
        er nævnt for hver partner. Du kan få en kopi af garantierne ved at skrive til vores kontakt om \
        databeskyttelse, som er nævnt i oplysningen om databehandling.
        """

    static func retention(_ policy: RetentionPolicy) -> String { """
        I consent to the organisation keeping my application, including my CV, after the usual \(policy.periodText), until \
        the date I choose, so that I can be considered for other positions. I can withdraw this consent at any \
        time through my private link, and my application is then deleted when the usual period has ended.
        """
    }

    static func retentionDanish(_ policy: RetentionPolicy) -> String { """
        Jeg giver samtykke til, at organisationen gemmer min ansøgning, herunder mit CV, efter de sædvanlige \
        \(RetentionPolicy.monthsText(policy.periodMonths, language: "da")) og indtil den dato, jeg vælger, så jeg kan komme i betragtning til \
        andre stillinger. Jeg kan til enhver tid trække samtykket tilbage via mit private link, og min ansøgning \
        slettes så, når den sædvanlige periode er udløbet.
        """
    }

}
