import Foundation
import Hummingbird
import LetheCore
import Logging

/// The long-lived parts one running server shares between requests.
public struct AppServices: Sendable {
    public let database: AppDatabase
    public let store: DocumentStore
    public let sniffer: ContentSniffer
    public let renderer: PageRenderer
    let csrf: CSRFProtection
    /// Signs what a form showed (notice versions, transfer terms) into the form.
    let terms: TermsSigner
    /// Keeps searched names and addresses out of URLs.
    let sealedText: SealedText
    let throttle: SignInThrottle
    /// Counts requests for a new private link.
    let linkThrottle: SignInThrottle
    let sessionPolicy = SessionPolicy()
    public let purger: Purger
    /// Writes the messages; nil when mail is off (`--mail-transport none`).
    let mailer: Mailer?
    /// Hands queued messages on; nil when mail is off.
    public let delivery: MailDelivery?
    /// The texts of every language (`templates/locales/`).
    public let catalogues: [Language: Catalogue]

    /// Opens the database (migrating it), the document store, libmagic and the templates.
    public init(_ options: AppOptions) async throws {
        do {
            database = try AppDatabase(path: options.databasePath, allowShared: options.allowSharedDatabase)
        } catch let error as DatabaseFileError {
            throw StartupError("\(error)")
        } catch {
            throw StartupError("cannot open the database \(options.databasePath): \(error)")
        }
        do {
            store = try DocumentStore(directory: options.uploadsPath)
        } catch {
            throw StartupError("cannot use the uploads directory \(options.uploadsPath): \(error)")
        }
        var purger = Purger(database: database, store: store)
        sniffer = try ContentSniffer()
        do {
            renderer = try await PageRenderer(directory: options.templatesPath, policy: options.retentionPolicy)
        } catch {
            throw StartupError("cannot load the templates in \(options.templatesPath): \(error)")
        }
        do {
            catalogues = try Catalogue.load(templates: options.templatesPath).mapValues { catalogue in
                options.textTransform.map { catalogue.transformed($0) } ?? catalogue
            }
        } catch {
            throw StartupError("cannot load the texts in \(options.templatesPath)/locales: \(error)")
        }
        (mailer, delivery) = try Self.mail(options, renderer: renderer, catalogues: catalogues, database: database)
        purger.speak(through: mailer, options)
        self.purger = purger
        csrf = CSRFProtection(key: try database.serverSecret(named: "csrf"), secureCookies: options.secureCookies)
        terms = TermsSigner(key: try database.serverSecret(named: "terms"))
        sealedText = SealedText(key: try database.serverSecret(named: "sealed-text"))
        throttle = SignInThrottle(key: try database.serverSecret(named: "throttle"))
        linkThrottle = LostLinkThrottle.throttle(key: try database.serverSecret(named: "throttle"))
        try await database.publishDefaultNotices(at: options.clock.now, controller: options.controller, policy: options.retentionPolicy)
    }
}

extension AppServices {
    /// The mailer and the delivery the options ask for, or an error naming what is wrong.
    static func mail(_ options: AppOptions, renderer: PageRenderer, catalogues: [Language: Catalogue], database: AppDatabase) throws -> (Mailer?, MailDelivery?) {
        guard let mailer = try Mailer(options, library: renderer.library, catalogues: catalogues) else { return (nil, nil) }
        guard let from = MailAddress(parsing: options.mailFrom) else {
            throw StartupError("--mail-from is not an address like \"Lethe <no-reply@example.org>\": \(options.mailFrom)")
        }
        var replyTo: MailAddress?
        if let text = options.mailReplyTo {
            guard let parsed = MailAddress(parsing: text) else { throw StartupError("--mail-reply-to is not an address: \(text)") }
            replyTo = parsed
        }
        let transport: any MailTransport
        do {
            transport = switch options.mailTransport {
            case .sendmail: try SendmailTransport(command: options.sendmailCommand)
            case .maildir, .none: try MaildirTransport(directory: options.resolvedMailDirectory)
            }
        } catch {
            throw StartupError("cannot use the mail transport: \(error)")
        }
        var delivery = MailDelivery(database: database, transport: transport, composer: MailComposer(from: from, replyTo: replyTo))
        delivery.policy.firstRetry = TimeInterval(options.mailFirstRetrySeconds)
        return (mailer, delivery)
    }
}

/// Builds the router with every route and middleware.
public func buildRouter(_ services: AppServices, options: AppOptions) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: StalePageMiddleware(secureCookies: options.secureCookies))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: CSRFMiddleware(csrf: services.csrf))
    router.add(middleware: LanguageMiddleware(catalogues: services.catalogues, defaultLanguage: options.defaultLanguage, timeZone: options.timeZone))
    router.add(middleware: ErrorPageMiddleware(renderer: services.renderer))
    router.add(middleware: FileMiddleware(options.publicPath, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .text, subType: "css"), [.maxAge(3600)])])))

    let database = services.database, renderer = services.renderer, csrf = services.csrf
    let vacancyPage = VacancyPage(database: database, renderer: renderer, terms: services.terms, csrf: services.csrf, options: options)
    let gate = AccessGate(database: database, clock: options.clock)
    PublicController(database: database, renderer: renderer, vacancyPage: vacancyPage, options: options).addRoutes(to: router)
    ApplyController(database: database, store: services.store, sniffer: services.sniffer, csrf: csrf, terms: services.terms, mailer: services.mailer, options: options, vacancyPage: vacancyPage)
        .addRoutes(to: router)
    ApplicantController(database: database, renderer: renderer, csrf: csrf, terms: services.terms, options: options, store: services.store, purger: services.purger,
                        mailer: services.mailer, throttle: services.linkThrottle)
        .addRoutes(to: router)
    AuthController(database: database, renderer: renderer, csrf: csrf, throttle: services.throttle, options: options).addRoutes(to: router)
    LanguageController(secureCookies: options.secureCookies).addRoutes(to: router)

    let signedInErrors = ErrorPageMiddleware(renderer: renderer)
    let staff = router.group("staff")
        .add(middleware: StaffSessionMiddleware(database: database, policy: services.sessionPolicy, clock: options.clock))
        .add(middleware: signedInErrors)
    PanelController(database: database, store: services.store, renderer: renderer, csrf: csrf, sealedText: services.sealedText, gate: gate, options: options, mailer: services.mailer)
        .addRoutes(to: staff)
    AccountController(database: database, renderer: renderer, csrf: csrf, options: options).addRoutes(to: staff)

    let hr = router.group("hr")
        .add(middleware: StaffSessionMiddleware(database: database, policy: services.sessionPolicy, clock: options.clock, requireHR: true))
        .add(middleware: signedInErrors)
    HRAccountsController(database: database, renderer: renderer, csrf: csrf, options: options, mailer: services.mailer).addRoutes(to: hr)
    HRVacanciesController(database: database, renderer: renderer, csrf: csrf, gate: gate, options: options, vacancyPage: vacancyPage).addRoutes(to: hr)
    HRNoticesController(database: database, renderer: renderer, csrf: csrf, options: options).addRoutes(to: hr)
    HRMailController(database: database, renderer: renderer, csrf: csrf, options: options).addRoutes(to: hr)
    HRRetentionController(database: database, renderer: renderer, csrf: csrf, sealedText: services.sealedText, options: options, purger: services.purger)
        .addRoutes(to: hr)
    HRPoolController(database: database, renderer: renderer, csrf: csrf, sealedText: services.sealedText, options: options).addRoutes(to: hr)
    return router
}

/// Builds the whole application: services, router, HTTP server with an idle timeout.
public func buildApplication(_ options: AppOptions, services: AppServices? = nil) async throws -> some ApplicationProtocol {
    var logger = options.makeLogHandler.map { make in Logger(label: "lethe", factory: make) } ?? Logger(label: "lethe")
    logger.logLevel = options.logLevel
    let services = if let services { services } else { try await AppServices(options) }
    let router = buildRouter(services, options: options)
    var app = Application(
        responder: HeadAsGetResponder(inner: router.buildResponder()),
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(options.idleTimeoutSeconds)))),
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
        logger: logger
    )
    if let delivery = services.delivery, options.mailPollSeconds > 0 {
        app.addServices(MailDeliveryService(delivery: delivery, clock: options.clock, interval: .seconds(options.mailPollSeconds), logger: logger))
    }
    if options.purgeIntervalSeconds > 0 {
        app.addServices(RetentionScheduler(
            purger: services.purger, database: services.database, sessionPolicy: services.sessionPolicy, throttle: services.throttle,
            clock: options.clock, interval: .seconds(options.purgeIntervalSeconds), logger: logger
        ))
    }
    return app
}

/// Why the server could not start, in one line for the operator.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
