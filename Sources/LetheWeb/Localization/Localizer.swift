import Foundation
import LetheCore
import Mustache

/// The languages Lethe speaks.
public enum Language: String, CaseIterable, Sendable, Codable {
    case da, en


    /// The first of Lethe's languages an `Accept-Language` header asks for, by its q-values.
    static func preferred(by acceptLanguage: String?) -> Language? {
        guard let header = acceptLanguage else { return nil }
        var best: (Language, Double)?
        for (order, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased(), !tag.isEmpty else { continue }
            let primary = String(tag.split(separator: "-").first ?? "")
            // Norwegian Bokmål and Nynorsk readers read Danish better than English.
            let language = Language(rawValue: primary) ?? (["nb", "no", "nn"].contains(primary) ? .da : nil)
            guard let language else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)) ?? 0
            }
            let score = q - Double(order) * 1e-6  // equal q: the first listed wins
            if q > 0, score > (best?.1 ?? -1) { best = (language, score) }
        }
        return best?.0
    }
}

/// One language's texts, by dotted key (`vacancy.apply`), read from `templates/locales/<code>.json`
/// where translators edit them without reading Swift. `{name}` marks a value filled in.
public struct Catalogue: Sendable {
    public let language: Language
    public let strings: [String: String]
    /// `date.months` and `date.monthsShort`, split once: every date on a page reads them.
    let months: [String]
    let monthsShort: [String]
    /// The texts with placeholders, cut at them once (``TextPiece``).
    let pieces: [String: [TextPiece]]

    /// Reads a catalogue: nested JSON objects whose leaves are strings.
    public init(language: Language, json: Data) throws {
        var strings: [String: String] = [:]
        func walk(_ value: Any, _ prefix: String) throws {
            if let text = value as? String {
                strings[prefix] = text
            } else if let object = value as? [String: Any] {
                for (key, child) in object { try walk(child, prefix.isEmpty ? key : prefix + "." + key) }
            } else {
                throw CatalogueError("\(language.rawValue).json: \(prefix) is neither a text nor a group")
            }
        }
        try walk(try JSONSerialization.jsonObject(with: json), "")
        self.init(language: language, strings: strings)
    }

    /// Every catalogue in `directory/locales`.
    public static func load(templates directory: String) throws -> [Language: Catalogue] {
        var catalogues: [Language: Catalogue] = [:]
        for language in Language.allCases {
            let path = directory + "/locales/\(language.rawValue).json"
            guard let data = FileManager.default.contents(atPath: path) else { throw CatalogueError("\(path) is missing") }
            catalogues[language] = try Catalogue(language: language, json: data)
        }
        return catalogues
    }

    /// The same catalogue with every text rewritten (placeholders and all).
    public func transformed(_ rewrite: (String) -> String) -> Catalogue {
        Catalogue(language: language, strings: strings.mapValues(rewrite))
    }

    private init(language: Language, strings: [String: String]) {
        self.language = language
        self.strings = strings
        months = strings["date.months"].map { $0.split(separator: ",").map(String.init) } ?? []
        monthsShort = strings["date.monthsShort"].map { $0.split(separator: ",").map(String.init) } ?? []
        pieces = strings.compactMapValues(TextPiece.pieces)
    }

    /// The placeholders of a text: `{limit}` → `limit`.
    public static func placeholders(_ text: String) -> Set<String> {
        Set((TextPiece.pieces(text) ?? []).compactMap { if case .placeholder(let name) = $0 { name } else { nil } })
    }
}

/// A catalogue that cannot be used.
public struct CatalogueError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Speaks one language in the organisation's time zone: the texts of the catalogue and the
/// dates. Set for each request by ``LanguageMiddleware`` (and for each message to an applicant,
/// in their language), so views and ``Formatting`` read it as ``Localizer/current``.
public struct Localizer: Sendable {
    public let catalogue: Catalogue
    public let timeZone: TimeZone
    /// A calendar in the organisation's zone, made once per localizer: every date on a page
    /// (fifty on a list) is formatted with it.
    public let calendar: Calendar

    public init(catalogue: Catalogue, timeZone: TimeZone) {
        self.catalogue = catalogue
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    public var language: Language { catalogue.language }

    /// One localizer per catalogue, made once at start (each holds a calendar in `timeZone`):
    /// requests and messages pick theirs instead of building one.
    static func each(of catalogues: [Language: Catalogue], in timeZone: TimeZone) -> [Language: Localizer] {
        catalogues.mapValues { Localizer(catalogue: $0, timeZone: timeZone) }
    }

    /// The localizer of the task: the request's, or a message's.
    @TaskLocal public static var current = Localizer(catalogue: try! Catalogue(language: .en, json: Data("{}".utf8)), timeZone: TimeZone(identifier: "UTC")!)

    /// The text of `key` with its placeholders filled in; the key itself when the catalogue
    /// lacks it (the catalogue tests make sure none does).
    public func text(_ key: String, _ values: KeyValuePairs<String, String> = [:]) -> String {
        fill(key, values)
    }

    /// The text of a phrase the core made, in this language.
    public func text(_ phrase: Phrase) -> String {
        fill(phrase.key, phrase.values)
    }

    private func fill<Values: Collection<(key: String, value: String)>>(_ key: String, _ values: Values) -> String {
        guard !values.isEmpty, let pieces = catalogue.pieces[key] else { return catalogue.strings[key] ?? key }
        return TextPiece.fill(pieces, values)
    }

}

/// The current localizer's text of a key, its placeholders filled in from `values`.
func T(_ key: String, _ values: KeyValuePairs<String, String> = [:]) -> String {
    Localizer.current.text(key, values)
}

/// The catalogue as templates read it: `{{t.vacancy.apply}}`.
struct CatalogueNode: MustacheParent {
    let catalogue: Catalogue
    let prefix: String

    func child(named name: String) -> Any? {
        let key = prefix.isEmpty ? name : prefix + "." + name
        if let text = catalogue.strings[key] { return text }
        return CatalogueNode(catalogue: catalogue, prefix: key)
    }
}
