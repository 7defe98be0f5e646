@preconcurrency import Crypto
import Foundation

/// What a form showed the applicant: the notice versions, and for an application the vacancy's
/// transfer terms (international or not, and the partners named).
///
/// The form carries it signed by the server (``TermsSigner``), so what is recorded as
/// acknowledged is what the server displayed, never a version a client names; and the
/// submitting transaction compares it with the terms as they are at that moment.
public struct ShownTerms: Sendable, Equatable {
    /// The transfer terms of a vacancy page.
    public struct VacancyTerms: Sendable, Equatable {
        public var vacancyId: Int64
        public var international: Bool
        /// The partners named, by id, ascending.
        public var destinationIds: [Int64]

        /// The terms of a vacancy with its current partners.
        public init(vacancyId: Int64, international: Bool, destinationIds: [Int64]) {
            self.vacancyId = vacancyId
            self.international = international
            self.destinationIds = destinationIds.sorted()
        }
    }

    /// The notice version shown, by kind.
    public var notices: [Notice.Kind: Int64]
    /// For an application form, the vacancy's transfer terms.
    public var vacancy: VacancyTerms?

    /// Bundles what a form showed.
    public init(notices: [Notice.Kind: Int64], vacancy: VacancyTerms? = nil) {
        self.notices = notices
        self.vacancy = vacancy
    }

    /// What a vacancy page shows: its transfer terms and the current notices it displays.
    public init(vacancy: Vacancy, destinations: [TransferDestination], notices: [Notice.Kind: Notice]) {
        var kinds: [Notice.Kind] = [.privacy, .reference]
        if vacancy.international { kinds.append(.transfer) }
        self.notices = Dictionary(uniqueKeysWithValues: kinds.compactMap { kind in notices[kind]?.id.map { (kind, $0) } })
        self.vacancy = VacancyTerms(vacancyId: vacancy.id ?? 0, international: vacancy.international, destinationIds: destinations.compactMap(\.id))
    }

    /// A stable text form: `privacy=1;reference=2;vacancy=5;international=1;partners=3,4`.
    var canonical: String {
        var items = Notice.Kind.allCases.compactMap { kind in notices[kind].map { "\(kind.rawValue)=\($0)" } }
        if let vacancy {
            items.append("vacancy=\(vacancy.vacancyId)")
            items.append("international=\(vacancy.international ? 1 : 0)")
            items.append("partners=" + vacancy.destinationIds.map(String.init).joined(separator: ","))
        }
        return items.joined(separator: ";")
    }

    /// Reads the text form back; nil when it is not one.
    init?(canonical: String) {
        var notices: [Notice.Kind: Int64] = [:]
        var fields: [String: String] = [:]
        for item in canonical.split(separator: ";") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { return nil }
            let key = String(pair[0]), value = String(pair[1])
            if let kind = Notice.Kind(rawValue: key) {
                guard let id = Int64(value) else { return nil }
                notices[kind] = id
            } else {
                fields[key] = value
            }
        }
        self.notices = notices
        if let vacancy = fields["vacancy"] {
            guard let id = Int64(vacancy), let international = fields["international"], let partners = fields["partners"] else { return nil }
            let ids = partners.split(separator: ",").compactMap { Int64($0) }
            guard ids.count == partners.split(separator: ",").count else { return nil }
            self.vacancy = VacancyTerms(vacancyId: id, international: international == "1", destinationIds: ids)
        } else {
            self.vacancy = nil
        }
    }
}

/// Signs ``ShownTerms`` into a form field and reads them back, refusing anything altered.
public struct TermsSigner: Sendable {
    private let key: SymmetricKey

    /// A signer with the server's secret.
    public init(key: SymmetricKey) { self.key = key }

    /// The value of the form's hidden `terms` field.
    public func sign(_ terms: ShownTerms) -> String {
        let payload = Data(terms.canonical.utf8)
        return payload.base64URLEncoded + "." + Data(mac(payload)).base64URLEncoded
    }

    /// The terms a form was rendered with, or nil when the field is missing or was altered.
    public func verify(_ field: String?) -> ShownTerms? {
        guard let field, field.utf8.count <= 4096 else { return nil }
        let parts = field.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Data(base64URLEncoded: String(parts[0])),
              let signature = Data(base64URLEncoded: String(parts[1])),
              HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Self.domain + payload, using: key),
              let text = String(data: payload, encoding: .utf8)
        else { return nil }
        return ShownTerms(canonical: text)
    }

    private static let domain = Data("lethe-terms:".utf8)

    private func mac(_ payload: Data) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Self.domain + payload, using: key)
    }
}

/// The terms a form showed no longer hold: a notice was replaced longer ago than the grace
/// period, the vacancy became (or stopped being) international, or its partners changed.
public struct TermsChanged: Error, Equatable, Sendable {
    public init() {}
}
