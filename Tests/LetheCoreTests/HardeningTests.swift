import Crypto
import Foundation
import GRDB
import LetheTestSupport
import Testing
@testable import LetheCore

@Suite struct DurabilityTests {
    @Test func theWritingConnectionCommitsWithSynchronousFull() throws {
        let workspace = try TestWorkspace()
        // 2 is FULL: every commit is synced to the WAL before it returns (GRDB's pool would leave NORMAL).
        #expect(try workspace.database.writerSynchronousLevel() == 2)
        let plainPool = try DatabasePool(path: workspace.root.appendingPathComponent("plain.sqlite").path)
        #expect(try plainPool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1, "GRDB no longer sets NORMAL: revisit AppDatabase.init(path:)")
    }

    @Test func aNewDatabaseAndItsWALAreReadableByTheOwnerOnly() throws {
        let workspace = try TestWorkspace()
        let path = workspace.databasePath
        for file in [path, path + "-wal", path + "-shm"] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode == 0o600, "\(file) has mode \(String(mode, radix: 8))")
        }
    }

    @Test func aDatabaseReadableByOthersIsRefusedUnlessSharingIsAllowed() throws {
        let workspace = try TestWorkspace()
        let path = workspace.root.appendingPathComponent("shared.sqlite").path
        _ = try AppDatabase(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: DatabaseFileError.sharedWithOthers(path: path, mode: 0o644)) { try AppDatabase(path: path) }
        #expect("\(DatabaseFileError.sharedWithOthers(path: path, mode: 0o644))".contains("chmod 600"))
        _ = try AppDatabase(path: path, allowShared: true)
    }
}

@Suite struct SignInThrottleTests {
    let throttle = SignInThrottle(key: SymmetricKey(size: .bits256))

    func subject(_ account: String, from address: String = "192.0.2.1") -> SignInThrottle.Subject {
        .init(purpose: "sign-in", address: address, account: account)
    }

    /// Whole seconds from `start` to `end` (times are stored to the millisecond).
    func seconds(_ end: Date?, after start: Date) -> Int? {
        end.map { Int($0.timeIntervalSince(start).rounded()) }
    }

    @Test func pausesDoubleAfterFiveFailuresInARowForOneAccountFromOneAddressOnly() async throws {
        let workspace = try TestWorkspace()
        let database = workspace.database
        let now = Date()
        for _ in 1...4 { try await database.recordSignInFailure(throttle, subject("pia@example.org"), at: now) }
        #expect(try await database.signInPausedUntil(throttle, subject("pia@example.org"), at: now) == nil)
        try await database.recordSignInFailure(throttle, subject("pia@example.org"), at: now)
        let first = try #require(try await database.signInPausedUntil(throttle, subject("pia@example.org"), at: now))
        #expect(seconds(first, after: now) == 30)
        // The same account from another address, and another account from this address, go on.
        #expect(try await database.signInPausedUntil(throttle, subject("pia@example.org", from: "198.51.100.7"), at: now) == nil)
        #expect(try await database.signInPausedUntil(throttle, subject("ole@example.org"), at: now) == nil)

        let later = now.addingTimeInterval(31)
        #expect(try await database.signInPausedUntil(throttle, subject("pia@example.org"), at: later) == nil)
        try await database.recordSignInFailure(throttle, subject("pia@example.org"), at: later)
        #expect(seconds(try await database.signInPausedUntil(throttle, subject("pia@example.org"), at: later), after: later) == 60)
        for _ in 1...20 { try await database.recordSignInFailure(throttle, subject("pia@example.org"), at: later) }
        #expect(seconds(try await database.signInPausedUntil(throttle, subject("pia@example.org"), at: later), after: later) == 15 * 60)

        try await database.recordSignInSuccess(throttle, subject("pia@example.org"))
        #expect(try await database.signInPausedUntil(throttle, subject("pia@example.org"), at: later) == nil)
    }

    @Test func oneAddressSprayingManyAccountsIsCappedForEveryAccountFromIt() async throws {
        let workspace = try TestWorkspace()
        let database = workspace.database
        let now = Date()
        for i in 0..<(throttle.addressLimit - 1) {
            try await database.recordSignInFailure(throttle, subject("user\(i)@example.org"), at: now)
        }
        #expect(try await database.signInPausedUntil(throttle, subject("new@example.org"), at: now) == nil)
        try await database.recordSignInFailure(throttle, subject("last@example.org"), at: now)
        #expect(seconds(try await database.signInPausedUntil(throttle, subject("new@example.org"), at: now), after: now) == Int(throttle.addressWindow))
        #expect(try await database.signInPausedUntil(throttle, subject("new@example.org", from: "198.51.100.7"), at: now) == nil)
    }

    @Test func countersHoldNoAddressOrAccountAndOldOnesAreForgottenButLivePausesKept() async throws {
        let workspace = try TestWorkspace()
        let database = workspace.database
        let start = Date()
        for _ in 1...5 { try await database.recordSignInFailure(throttle, subject("pia@example.org"), at: start) }
        try await database.recordSignInFailure(throttle, subject("ole@example.org"), at: start)
        let stored = try database.read { db in try Data.fetchAll(db, sql: "SELECT key FROM sign_in_throttle") }
        #expect(stored.count == 3)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.databasePath + "-wal")) + Data(contentsOf: URL(fileURLWithPath: workspace.databasePath))
        #expect(bytes.range(of: Data("pia@example.org".utf8)) == nil)
        #expect(bytes.range(of: Data("192.0.2.1".utf8)) == nil)

        // A day on, with a pause still running for one counter: only the others go.
        let dayLater = start.addingTimeInterval(throttle.forgetAfter + 1)
        let liveKey = throttle.pairKey(subject("pia@example.org"))
        try workspace.direct { db in
            try db.execute(sql: "UPDATE sign_in_throttle SET locked_until = ? WHERE key = ?", arguments: [dayLater.addingTimeInterval(600), liveKey])
        }
        #expect(try await database.forgetOldSignInFailures(throttle, at: dayLater) == 2)
        #expect(try await database.signInPausedUntil(throttle, subject("pia@example.org"), at: dayLater) != nil)
    }
}

@Suite struct ErasedMeanwhileTests {
    /// Each write that needs an application finds it gone (erased by another request or the
    /// purge between the caller's check and its write) and says NotFound, never a database error.
    @Test func writesOnAnErasedApplicationThrowNotFound() async throws {
        let workspace = try TestWorkspace()
        let database = workspace.database
        let now = Date()
        let vacancy = try await workspace.makeVacancy(international: true, at: now)
        let user = try await database.createStaffUser(email: "pia@example.org", name: "Pia", role: .staff, password: "a long and unusual pass phrase", at: now, actor: .system)
        try workspace.insertSyntheticApplications(vacancyId: vacancy.id!, count: 1, at: now)
        let (id, tokenHash) = try database.read { db in try Row.fetchOne(db, sql: "SELECT id, token_hash FROM application").map { ($0["id"] as Int64, $0["token_hash"] as Data) }! }
        _ = try await Purger(database: database, store: workspace.store).erase(applicationId: id, reason: .erasure, actor: .system, now: now)

        let policy = RetentionPolicy()
        await #expect(throws: NotFound.self) { try await database.changeStatus(applicationId: id, to: .shortlisted, by: user, at: now) }
        await #expect(throws: NotFound.self) { try await database.saveAssessment(applicationId: id, by: user, AssessmentForm.Valid(competencies: 3, qualifications: 3, experience: 3, notes: ""), at: now) }
        await #expect(throws: NotFound.self) { try await database.giveConsent(linkHash: tokenHash, months: 12, shown: ShownTerms(notices: [:]), policy: policy, at: now) }
        await #expect(throws: NotFound.self) { try await database.withdrawConsent(linkHash: tokenHash, policy: policy, at: now) }
        await #expect(throws: NotFound.self) { try await database.withdrawReferencePermission(linkHash: tokenHash, referenceId: 1, at: now) }
        await #expect(throws: NotFound.self) { try await database.recordReferenceCheck(applicationId: id, referenceId: 1, by: user, contactedOn: "2026-01-01", summary: "x", at: now) }
        await #expect(throws: NotFound.self) { try await database.recordTransfer(applicationId: id, destinationId: 1, what: "CV", sharedOn: "2026-01-01", by: user, at: now) }
        await #expect(throws: NotFound.self) { try await database.recordConsent(applicationId: id, lastDay: "2027-01-01", evidence: "e-mail", by: user, policy: policy, at: now) }
    }
}

@Suite struct CheckpointTests {
    /// Another process's reader that keeps a snapshot from before an erasure stops the erasure's
    /// checkpoint part way, and the erased address stays in the database file; the next purge
    /// pass, with nothing to purge, runs the owed checkpoint, and the address is then gone.
    @Test func aCheckpointAReaderStoppedIsRunAgainByTheNextPass() async throws {
        let workspace = try TestWorkspace()
        let database = workspace.database
        let now = Date()
        let vacancy = try await workspace.makeVacancy(at: now)
        try workspace.insertSyntheticApplications(vacancyId: vacancy.id!, count: 1, at: now)
        #expect(try await database.checkpoint())
        let id = try database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM application")! }
        let address = Data("applicant0@example.com".utf8)
        func addressStored() throws -> Bool {
            try [workspace.databasePath, workspace.databasePath + "-wal"].contains { path in
                try Data(contentsOf: URL(fileURLWithPath: path)).range(of: address) != nil
            }
        }
        #expect(try addressStored())

        var holding = Configuration()
        holding.allowsUnsafeTransactions = true  // the read transaction outlives one access, on purpose
        let reader = try DatabaseQueue(path: workspace.databasePath, configuration: holding)
        try await reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN")
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM application")
        }
        let purger = Purger(database: database, store: workspace.store)
        #expect(try await purger.erase(applicationId: id, reason: .erasure, actor: .system, now: now))
        #expect(try addressStored(), "the reader's snapshot kept the checkpoint from overwriting the file")

        try await reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        #expect(try await purger.purgeExpired(asOf: now, now: now).purged == 0)
        #expect(try !addressStored())
    }
}

@Suite struct EncodingTests {
    /// Tokens, CSRF fields and storage names are written with hand-made encoders (for speed):
    /// they must agree with the definitions, for every length and every byte.
    @Test func base64URLAndHexAgreeWithTheirDefinitions() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let reference = data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(data.base64URLEncoded == reference)
            #expect(Data(base64URLEncoded: reference) == data)
            #expect(data.hexString == data.map { String(format: "%02x", $0) }.joined())
        }
        #expect(Data([0xFB, 0xFF, 0x00, 0xAB]).base64URLEncoded == "-_8Aqw")
        #expect(Data(base64URLEncoded: "-_8Aqw") == Data([0xFB, 0xFF, 0x00, 0xAB]))
        #expect(Data(base64URLEncoded: "a") == nil)
        #expect(Data(base64URLEncoded: "ab$d") == nil)
    }
}
