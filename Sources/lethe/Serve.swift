import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import LetheCore
import LetheWeb
import Logging
import NIOCore

/// `lethe serve`: migrate, then run the web server and the retention scheduler.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate the database and run the web server.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (LETHE_HOST).")
    var host: String = EnvironmentVariable.value("HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on (LETHE_PORT).")
    var port: Int = EnvironmentVariable.integer("PORT", default: 8080)

    @OptionGroup var mail: MailOptions

    @OptionGroup var language: LanguageOptions

    @Option(name: .customLong("public"), help: "Directory of static files (LETHE_PUBLIC).")
    var publicDirectory: String = EnvironmentVariable.value("PUBLIC") ?? "public"

    @Option(help: "Largest CV accepted, in MiB (LETHE_MAX_UPLOAD_MIB).")
    var maxUploadMib: Int = EnvironmentVariable.integer("MAX_UPLOAD_MIB", default: 10)

    @Option(help: "Months an application is kept without extended consent (LETHE_RETENTION_MONTHS).")
    var retentionMonths: Int = EnvironmentVariable.integer("RETENTION_MONTHS", default: 6)

    @Option(help: "Furthest extended consent may reach, in months after submission (LETHE_MAX_RETENTION_MONTHS).")
    var maxRetentionMonths: Int = EnvironmentVariable.integer("MAX_RETENTION_MONTHS", default: 24)

    @Option(help: "Seconds before an idle connection is closed (LETHE_IDLE_TIMEOUT).")
    var idleTimeout: Int = EnvironmentVariable.integer("IDLE_TIMEOUT", default: AppOptions().idleTimeoutSeconds)

    @Option(help: "Seconds one upload may take in all (LETHE_UPLOAD_TIMEOUT).")
    var uploadTimeout: Int = EnvironmentVariable.integer("UPLOAD_TIMEOUT", default: AppOptions().uploadTimeoutSeconds)

    @Option(name: .customLong("trusted-proxy"), help: "Address of the reverse proxy whose X-Forwarded-For names the client (LETHE_TRUSTED_PROXY).")
    var trustedProxyOption: String?

    /// The option, or else its variable.
    var trustedProxy: String? { trustedProxyOption ?? EnvironmentVariable.value("TRUSTED_PROXY") }

    @Flag(help: "Start although the database file is readable by other users (LETHE_ALLOW_SHARED_DATABASE).")
    var allowSharedDatabase: Bool = EnvironmentVariable.flag("ALLOW_SHARED_DATABASE")

    @Option(help: "The data controller's name and address, named in the first privacy notice (LETHE_CONTROLLER).")
    var controller: String = EnvironmentVariable.value("CONTROLLER") ?? AppOptions().controller.name

    @Option(help: "Where applicants write about their data, named in the first privacy notice (LETHE_PRIVACY_CONTACT).")
    var privacyContact: String = EnvironmentVariable.value("PRIVACY_CONTACT") ?? AppOptions().controller.contact

    @Flag(help: "Send cookies without the Secure attribute, for plain-HTTP development only (LETHE_INSECURE_COOKIES).")
    var insecureCookies: Bool = EnvironmentVariable.flag("INSECURE_COOKIES")

    @Flag(help: "Add demo accounts and vacancies if absent, and print the sign-ins (LETHE_DEMO).")
    var demo: Bool = EnvironmentVariable.flag("DEMO")

    @Option(help: "Seconds between retention purges; 0 turns the scheduler off (LETHE_PURGE_INTERVAL).")
    var purgeInterval: Int = EnvironmentVariable.integer("PURGE_INTERVAL", default: 3600)

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (LETHE_LOG_LEVEL).")
    var logLevel: String = EnvironmentVariable.value("LOG_LEVEL") ?? "info"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard (1...1024).contains(maxUploadMib) else { throw ValidationError("--max-upload-mib must be between 1 and 1024") }
        guard retentionMonths >= 1 else { throw ValidationError("--retention-months must be at least 1") }
        guard maxRetentionMonths >= retentionMonths else { throw ValidationError("--max-retention-months must not be less than --retention-months") }
        guard !controller.trimmingCharacters(in: .whitespaces).isEmpty, !privacyContact.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--controller and --privacy-contact must not be empty")
        }
        guard purgeInterval >= 0 else { throw ValidationError("--purge-interval must not be negative") }
        guard idleTimeout >= 1 else { throw ValidationError("--idle-timeout must be at least 1 second") }
        guard (1...86_400).contains(uploadTimeout) else { throw ValidationError("--upload-timeout must be between 1 and 86400 seconds") }
        if let trustedProxy, (try? SocketAddress(ipAddress: trustedProxy, port: 0)) == nil {
            throw ValidationError("--trusted-proxy must be an IP address, e.g. 127.0.0.1")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    func run() async throws {
        // glibc gives each thread that allocates its own arena (up to eight per core); a server's
        // many threads then hold freed memory apart and RSS creeps up under mixed load. Two
        // arenas keep it flat (see bench/README.md, "Memory").
        limitMallocArenas(to: 2)
        var options = AppOptions()
        options.host = host
        options.port = port
        options.databasePath = common.database
        options.uploadsPath = common.uploads
        mail.apply(to: &options)
        language.apply(to: &options)
        options.publicPath = publicDirectory
        options.maxUploadBytes = maxUploadMib * 1024 * 1024
        options.retentionMonths = retentionMonths
        options.maxRetentionMonths = maxRetentionMonths
        options.idleTimeoutSeconds = idleTimeout
        options.uploadTimeoutSeconds = uploadTimeout
        options.trustedProxy = trustedProxy
        options.allowSharedDatabase = allowSharedDatabase
        options.secureCookies = !insecureCookies
        options.logLevel = Logger.Level(rawValue: logLevel)!
        options.purgeIntervalSeconds = purgeInterval
        options.controller = DataController(name: controller, contact: privacyContact)

        let services: AppServices
        do {
            services = try await AppServices(options)
        } catch {
            fail("cannot start: \(error)")
        }
        if demo {
            let logins = try await DemoData.seed(services.database, now: options.clock.now)
            say("Demo data is ready. Sign in at http://\(host):\(port)/login with:")
            for login in logins {
                say("  \(login.role.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(login.email)  password: \(login.password)  (\(login.note))")
            }
        }
        say(services.delivery.map { "Mail: \($0.transport.description)." } ?? "Mail is off (--mail-transport none): nothing is queued or sent.")
        say("Lethe is listening on http://\(host):\(port)/")
        let app = try await buildApplication(options, services: services)
        try await app.runService()
    }
}

/// `mallopt(M_ARENA_MAX, count)`; `malloc.h` is not part of Swift's Glibc module, so the
/// function is looked up by name. Without glibc, nothing happens.
private func limitMallocArenas(to count: Int32) {
    #if canImport(Glibc)
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let mArenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    _ = unsafeBitCast(symbol, to: Mallopt.self)(mArenaMax, count)
    #endif
}
