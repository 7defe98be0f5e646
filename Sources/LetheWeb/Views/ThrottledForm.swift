import Foundation
import HTTPTypes
import Hummingbird
import LetheCore

/// The answer to a form whose sender a ``SignInThrottle`` pauses (sign-in, password reset, the
/// lost-link request): the same form again, with a message naming the wait, status 429 and
/// `Retry-After` in whole seconds.
enum ThrottledForm {
    /// Nil when none of `subjects` is paused; otherwise `page(message, status)` rendered for the
    /// longest pause of them, the message being `messageKey` with its `{wait}` filled in.
    static func answer(
        _ database: AppDatabase, _ throttle: SignInThrottle, subjects: [SignInThrottle.Subject], at now: Date, messageKey: String,
        page: (String, HTTPResponse.Status) throws -> Response
    ) async throws -> Response? {
        var until: Date?
        for subject in subjects {
            if let paused = try await database.signInPausedUntil(throttle, subject, at: now), paused > (until ?? .distantPast) { until = paused }
        }
        guard let until else { return nil }
        let seconds = Int(until.timeIntervalSince(now).rounded(.up))
        var response = try page(T(messageKey, ["wait": Formatting.wait(seconds)]), .tooManyRequests)
        response.headers[.retryAfter] = String(seconds)
        return response
    }
}
