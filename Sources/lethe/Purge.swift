import ArgumentParser
import Foundation
import LetheCore
import LetheWeb

/// `lethe purge`: erase every application whose retention has ended.
struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Erase every application whose retention has ended.")

    @OptionGroup var common: CommonOptions

    @OptionGroup var mail: MailOptions

    @OptionGroup var language: LanguageOptions

    @Flag(help: "Only count what would be erased.")
    var dryRun = false

    @Option(help: "Erase as of this instant (ISO 8601, e.g. 2027-06-01T00:00:00Z) instead of now.")
    var asOf: String?

    @Flag(help: "Print the result as JSON: {\"purged\": N, \"documents\": M}.")
    var json = false

    @Option(help: "Seconds an unreferenced stored file must be old before the orphan sweep removes it; 0 when no server is running.")
    var orphanGrace: Int = 900

    func run() async throws {
        let now = WallClock.system.now
        var instant = now
        if let asOf {
            guard let parsed = ISO8601DateFormatter().date(from: asOf) else { fail("--as-of must be an ISO 8601 instant like 2027-06-01T00:00:00Z, not \"\(asOf)\"") }
            instant = parsed
        }
        let database = common.openDatabase()
        var purger: Purger
        do {
            purger = Purger(database: database, store: try DocumentStore(directory: common.uploads))
            purger.orphanGrace = TimeInterval(max(0, orphanGrace))
            var options = AppOptions()
            options.databasePath = common.database
            mail.apply(to: &options)
            language.apply(to: &options)
            try await configureMail(of: &purger, options)
        } catch {
            fail("cannot use the uploads directory \(common.uploads) or the mail templates in \(mail.templates): \(error)")
        }
        let summary: Purger.Summary
        var reminders = 0
        if dryRun {
            summary = try await purger.due(asOf: instant)
        } else {
            let start = Date()
            summary = try await purger.purgeExpired(asOf: instant, now: now) { total in
                // Progress on large runs, on standard error so that --json stays clean.
                if Date().timeIntervalSince(start) > 2 {
                    FileHandle.standardError.write(Data("erased \(total.purged) applications so far\n".utf8))
                }
            }
            try await purger.sweepOrphans(now: now)
            reminders = try await purger.queueReminders(asOf: instant, now: now)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            say(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            let verb = dryRun ? "would erase" : "erased"
            say("\(verb) \(summary.purged) application\(summary.purged == 1 ? "" : "s") and \(summary.documents) document\(summary.documents == 1 ? "" : "s") due by \(ISO8601DateFormatter().string(from: instant))")
            if reminders > 0 { say("queued \(reminders) reminder\(reminders == 1 ? "" : "s") before erasure") }
        }
    }
}

/// `lethe audit verify`: check the audit log's hash chain.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with the audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the hash chain; exit 0 when intact, 1 naming the first broken event otherwise.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let database = common.openDatabase()
            switch try await database.verifyAuditLog() {
            case .intact(let events):
                say("audit log intact: \(events) events")
            case .broken(let id, let reason):
                fail("audit log broken at event \(id): \(reason)")
            }
        }
    }
}
