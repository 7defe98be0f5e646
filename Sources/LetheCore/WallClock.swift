import Foundation

/// The source of "now" for every decision that depends on time.
///
/// Logic never calls `Date()` itself; it is handed a clock so that retention can be tested at any
/// date.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that reads the given closure.
    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The current instant.
    public var now: Date { read() }

    /// The system's clock.
    public static let system = WallClock { Date() }

    /// A clock that always answers the same instant.
    public static func fixed(_ date: Date) -> WallClock { WallClock { date } }
}
