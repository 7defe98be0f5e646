import Foundation
import LetheCore
import Mustache

/// Formats values for pages and messages in the current ``Localizer``'s language and the
/// organisation's time zone: the one place for dates, sizes, labels.
enum Formatting {
    // Formatted by hand from calendar components: a DateFormatter per call costs more than the
    // rest of a list page, and shared formatters are not Sendable.
    private static func monthName(_ month: Int, short: Bool = false) -> String {
        let catalogue = Localizer.current.catalogue
        let names = short ? catalogue.monthsShort : catalogue.months
        return names.count == 12 ? names[month - 1] : String(month)
    }

    private static func day(year: Int, month: Int, day: Int) -> String {
        T("date.day", ["day": String(day), "month": monthName(month), "year": String(year)])
    }

    /// The day of `date` in the organisation's zone: "25 November 2026", "25. november 2026".
    static func day(_ date: Date) -> String {
        let c = Localizer.current.calendar.dateComponents([.year, .month, .day], from: date)
        return day(year: c.year!, month: c.month!, day: c.day!)
    }

    /// A stored `YYYY-MM-DD` day as a reader writes it; the text itself when it is not a day.
    static func day(_ stored: String) -> String {
        guard let date = DayFormat.date(from: stored) else { return stored }
        let c = DayFormat.calendar.dateComponents([.year, .month, .day], from: date)
        return day(year: c.year!, month: c.month!, day: c.day!)
    }

    /// "25 November 2026, 14:30", "25. november 2026 kl. 14.30", in the organisation's zone.
    static func dateTime(_ date: Date) -> String {
        let c = Localizer.current.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return T("date.dateTime", [
            "date": day(year: c.year!, month: c.month!, day: c.day!),
            "hour": DayFormat.padded(c.hour!, to: 2), "minute": DayFormat.padded(c.minute!, to: 2),
        ])
    }

    static func shortDay(_ date: Date) -> String {
        let c = Localizer.current.calendar.dateComponents([.month, .day], from: date)
        return T("date.short", ["day": String(c.day!), "month": monthName(c.month!, short: true)])
    }

    /// What a date input may show: a real `YYYY-MM-DD` day, or nothing (a browser cannot show
    /// anything else in it, and the HTML would be invalid).
    static func dateInputValue(_ typed: String) -> String {
        DayFormat.date(from: typed) == nil ? "" : typed
    }

    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return T("size.bytes", ["n": String(bytes)]) }
        if bytes < 1024 * 1024 { return T("size.kib", ["n": String(bytes / 1024)]) }
        return T("size.mib", ["n": oneDecimal(Double(bytes) / 1_048_576)])
    }

    /// A mean score with one decimal, in the reader's notation: "3.7" or "3,7".
    static func score(_ value: Double) -> String {
        oneDecimal(value)
    }

    /// A number with one decimal and the current language's decimal separator.
    private static func oneDecimal(_ value: Double) -> String {
        String(format: "%.1f", value).replacingOccurrences(of: ".", with: T("size.decimalSeparator"))
    }

    static func typeLabel(_ mediaType: String) -> String {
        ContentSniffer.allowedTypes.first { $0.mediaType == mediaType }.map(typeLabel) ?? mediaType
    }

    /// A file type as a reader of the current language names it: "PDF", "almindelig tekst".
    static func typeLabel(_ type: ContentSniffer.AllowedType) -> String {
        T("fileType.\(type.extensions.sorted().last ?? type.mediaType)")
    }

    static func noticeLabel(_ kind: Notice.Kind) -> String {
        T("notice.\(kind.rawValue)")
    }

    static func status(_ status: JobApplication.Status) -> String {
        T("status.\(status.rawValue)")
    }

    static func mailKind(_ kind: MailKind) -> String {
        T("mailKind.\(kind.rawValue)")
    }

    /// `4 minutes`, `3 hours`, `2 days`.
    static func age(_ seconds: TimeInterval) -> String {
        let (value, unit): (Int, String) = switch seconds {
        case ..<120: (Int(seconds), "second")
        case ..<7200: (Int(seconds / 60), "minute")
        case ..<172_800: (Int(seconds / 3600), "hour")
        default: (Int(seconds / 86_400), "day")
        }
        return T("age.\(unit)\(value == 1 ? "" : "s")", ["n": String(value)])
    }

    /// How long to wait, as a person reads it: "45 seconds", "15 minutes".
    static func wait(_ seconds: Int) -> String {
        seconds < 90 ? T("wait.seconds", ["n": String(seconds)]) : T("wait.minutes", ["n": String((seconds + 59) / 60)])
    }

    /// A staff member's name beside what they recorded, or who they were once their account is gone.
    static func author(_ name: StaffName?) -> String {
        name?.name ?? T("staff.former")
    }

    /// Every country outside the EU/EEA, sorted by its name in the reader's language.
    static func thirdCountries() -> [(code: String, name: String)] {
        let strings = Localizer.current.catalogue.strings
        let locale = Locale(identifier: Localizer.current.language.rawValue)
        return CountryCodes.all.subtracting(CountryCodes.euEEA)
            .map { (code: $0, name: strings["country.\($0)"] ?? $0) }
            .sorted { $0.name.compare($1.name, locale: locale) == .orderedAscending }
    }

    /// A country's name in the reader's language, with its code; the code alone for a country
    /// the catalogues do not name.
    static func country(_ code: String) -> String {
        Localizer.current.catalogue.strings["country.\(code)"].map { "\($0) (\(code))" } ?? code
    }
}

/// A paragraph of a notice, description or letter.
struct Paragraph {
    let text: String

    static func split(_ text: String) -> [Paragraph] {
        // Browsers send CRLF line endings; a paragraph ends at a blank line either way.
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.map(Paragraph.init)
    }
}

/// One message of the thread between the panel and the applicant, as either side reads it.
struct ThreadRow {
    let from: String
    let subject: String?
    let paragraphs: [Paragraph]
    let sentAt: String
    let fromApplicant: Bool

    /// The thread of `record`; the applicant reads "you" and "the hiring panel", the panel
    /// reads who of them wrote.
    static func rows(_ record: ApplicationRecord, readByApplicant: Bool) -> [ThreadRow] {
        record.messages.map { info in
            let fromApplicant = info.message.author == .applicant
            let from = readByApplicant
                ? T(fromApplicant ? "thread.you" : "thread.panel")
                : (fromApplicant ? T("thread.applicant") : Formatting.author(info.writer))
            return ThreadRow(from: from, subject: info.message.subject, paragraphs: Paragraph.split(info.message.body), sentAt: Formatting.dateTime(info.message.createdAt), fromApplicant: fromApplicant)
        }
    }
}

/// A link in a list's pager or sort bar.
struct LinkView {
    let label: String
    let href: String
    let current: Bool
}

/// Links and options fill the filters, sorts, pages and selects of most pages: they answer by
/// name, not through `Mirror`.
extension LinkView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "href": href
        case "current": current
        default: nil
        }
    }
}

extension OptionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

/// A choice in a select list or a group of radio buttons.
struct OptionView {
    let value: String
    let label: String
    let selected: Bool
}
