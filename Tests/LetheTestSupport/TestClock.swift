import Foundation
import LetheCore
import Synchronization

/// A clock the test moves forward.
public final class TestClock: Sendable {
    private let current = Mutex(Date())

    public init() {}

    public var now: Date { current.withLock { $0 } }

    public func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    public var wallClock: WallClock { WallClock { self.now } }
}
