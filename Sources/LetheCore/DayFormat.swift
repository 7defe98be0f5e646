import Foundation

/// Formats calendar days as `YYYY-MM-DD` in UTC, the one day format of the database.
public enum DayFormat {
    /// The UTC day of `date`.
    public static func string(from date: Date) -> String {
        string(of: calendar.dateComponents([.year, .month, .day], from: date))
    }

    /// `YYYY-MM-DD` of a day's components (its year, month and day are set). Zero-padded by
    /// hand: `String(format:)` was two thirds of this, and every application checks its
    /// vacancy's closing day.
    public static func string(of day: DateComponents) -> String {
        padded(day.year!, to: 4) + "-" + padded(day.month!, to: 2) + "-" + padded(day.day!, to: 2)
    }

    /// `number` with leading zeros up to `width` digits (`7` → `07`).
    public static func padded(_ number: Int, to width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The start (00:00 UTC) of a `YYYY-MM-DD` day, or nil when it is not a real date.
    public static func date(from string: String) -> Date? {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        let comps = DateComponents(year: y, month: m, day: d)
        guard comps.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: comps)
    }

    /// The Gregorian calendar in UTC.
    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}
