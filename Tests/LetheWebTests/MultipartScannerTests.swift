import MultipartKit
import NIOCore
import Testing
@testable import LetheWeb

/// Lethe's multipart scanner against MultipartKit's `MultipartParser` (4.7.1), the reference:
/// the same bodies, cut into the same random pieces, must give the same header fields, the same
/// body bytes per part and the same part ends, or be refused by both.
@Suite struct MultipartScannerTests {
    enum Item: Equatable, CustomStringConvertible {
        case header(String, String)
        case body([UInt8])
        case end

        var description: String {
            switch self {
            case .header(let name, let value): "header(\(name): \(value.debugDescription))"
            case .body(let bytes): "body(\(bytes.count) bytes: \(String(decoding: bytes.prefix(40), as: UTF8.self).debugDescription))"
            case .end: "end"
            }
        }
    }

    enum Outcome: Equatable {
        case read([Item])
        case refused
        /// The scanner returned with bytes of a piece not read.
        case leftUnread
    }

    @Test func readsWhatMultipartKitReadsInAnyPieces() {
        var random = SplitMix(seed: 0x1E7E)
        var disagreements: [String] = []
        var refusedByBoth = 0
        let cases = 3_000
        for number in 0..<cases {
            let boundary = Self.boundary(&random)
            // MultipartKit traps on a header name byte above 0x7F, so only a body whose structure
            // is intact has such bytes (in values and part bodies); a mutated one is ASCII.
            let mutate = random.below(3) != 0
            let form = Self.form(boundary: boundary, ascii: mutate, &random)
            let body = mutate ? Self.mutated(form, &random) : form
            let cuts = Self.cuts(body.count, &random)
            let expected = Self.reference(body, boundary: boundary, cuts: cuts)
            let actual = Self.lethe(body, boundary: boundary, cuts: cuts)
            if expected == .refused, actual == .refused { refusedByBoth += 1 }
            if expected != actual, disagreements.count < 3 {
                // The generator is seeded: the case number finds the body again.
                disagreements.append("case \(number) (\(body.count) bytes in \(cuts.count + 1) pieces, boundary \(boundary.debugDescription)):\n expected \(expected)\n got \(actual)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        // Both kinds of body were tried: some read, some refused.
        #expect(refusedByBoth > cases / 20 && refusedByBoth < cases / 2, "\(refusedByBoth) of \(cases) refused")
    }

    @Test func readsAnyBytesTheSameInAnyPieces() {
        // Where MultipartKit cannot be asked (bytes above 0x7F anywhere, header names included):
        // a body cut into pieces reads as it does whole.
        var random = SplitMix(seed: 0xB17E5)
        var disagreements: [String] = []
        for number in 0..<2_000 {
            let boundary = Self.boundary(&random)
            var body = Self.form(boundary: boundary, ascii: false, &random)
            for _ in 0..<random.below(4) where !body.isEmpty {
                body[random.below(body.count)] = UInt8(random.below(256))
            }
            let whole = Self.lethe(body, boundary: boundary, cuts: [])
            let pieces = Self.lethe(body, boundary: boundary, cuts: Self.cuts(body.count, &random))
            if whole != pieces, disagreements.count < 3 {
                disagreements.append("case \(number) (\(body.count) bytes):\n whole \(whole)\n in pieces \(pieces)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }

    @Test func aHeaderNameByteAboveASCIIIsRefusedNotATrap() {
        // MultipartKit's table of name bytes has 128 entries: this body stopped the server.
        var body = Array("--b\r\nN".utf8) + [0xC3, 0xA6] + Array("me: x\r\n\r\nv\r\n--b--\r\n".utf8)
        #expect(Self.lethe(body, boundary: "b", cuts: []) == .refused)
        body = Array("--b\r\nContent-Disposition: form-data; name=\"n\u{E6}vn\"\r\n\r\nv\r\n--b--\r\n".utf8)
        #expect(Self.lethe(body, boundary: "b", cuts: [7, 30]) == .read([.header("Content-Disposition", "form-data; name=\"n\u{E6}vn\""), .body(Array("v".utf8)), .end]))
    }

    @Test func headerLinesAndThePreambleAreBounded() throws {
        func scan(_ text: String) throws -> [MultipartScanner.Event] {
            var scanner = MultipartScanner(boundary: "b", maxHeaderBytes: 100)
            var buffer = ByteBuffer(string: text)
            var events: [MultipartScanner.Event] = []
            try scanner.scan(&buffer) { events.append($0) }
            return events
        }
        let header = "Content-Disposition: form-data; name=\"\(String(repeating: "x", count: 40))\"\r\n"
        #expect(try scan("--b\r\n\(header)\r\nv\r\n--b\r\n\(header)\r\nw\r\n--b--").count == 6)
        #expect(throws: MultipartScanner.Failure.headersTooLarge) { try scan("--b\r\n\(header)\(header)\r\nv\r\n--b--") }
        #expect(throws: MultipartScanner.Failure.headersTooLarge) { try scan(String(repeating: "-", count: 101) + "\r\n--b\r\n\r\nv\r\n--b--") }
    }

    @Test func aBodyIsCompleteOnlyAfterTheLastDelimiter() throws {
        for (text, complete) in [("--b\r\n\r\nv\r\n--b--\r\n", true), ("--b\r\n\r\nv\r\n--b-", true), ("--b\r\n\r\nv\r\n--b\r\n", false), ("--b\r\n\r\nv\r\n--b", false), ("--b\r\n\r\nv\r\n-", false)] {
            var scanner = MultipartScanner(boundary: "b", maxHeaderBytes: 100)
            var buffer = ByteBuffer(string: text)
            try scanner.scan(&buffer) { _ in }
            #expect(scanner.isComplete == complete, "\(text.debugDescription)")
        }
    }

    // MARK: the two readers

    static func reference(_ body: [UInt8], boundary: String, cuts: [Int]) -> Outcome {
        let parser = MultipartParser(boundary: boundary)
        var items: [Item] = []
        parser.onHeader = { items.append(.header($0, $1)) }
        parser.onBody = { append(Array($0.readableBytesView), to: &items) }
        parser.onPartComplete = { items.append(.end) }
        do {
            for piece in pieces(body, cuts) { try parser.execute(ByteBuffer(bytes: piece)) }
        } catch {
            return .refused
        }
        return .read(items)
    }

    static func lethe(_ body: [UInt8], boundary: String, cuts: [Int]) -> Outcome {
        var scanner = MultipartScanner(boundary: boundary, maxHeaderBytes: .max)
        var items: [Item] = []
        do {
            for piece in pieces(body, cuts) {
                var buffer = ByteBuffer(bytes: piece)
                try scanner.scan(&buffer) { event in
                    switch event {
                    case .header(let name, let value): items.append(.header(name, value))
                    case .body(let bytes): append(Array(bytes.readableBytesView), to: &items)
                    case .partComplete: items.append(.end)
                    }
                }
                guard buffer.readableBytes == 0 else { return .leftUnread }
            }
        } catch {
            return .refused
        }
        return .read(items)
    }

    /// Body bytes of one part, however they were handed on, as one item.
    static func append(_ bytes: [UInt8], to items: inout [Item]) {
        if case .body(let earlier) = items.last {
            items[items.count - 1] = .body(earlier + bytes)
        } else {
            items.append(.body(bytes))
        }
    }

    static func pieces(_ body: [UInt8], _ cuts: [Int]) -> [ArraySlice<UInt8>] {
        var start = 0
        var pieces: [ArraySlice<UInt8>] = []
        for cut in (cuts + [body.count]).map({ min($0, body.count) }) where cut > start {
            pieces.append(body[start..<cut])
            start = cut
        }
        return pieces
    }

    // MARK: bodies

    static let boundaryCharacters = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?".utf8)

    static func boundary(_ random: inout SplitMix) -> String {
        switch random.below(4) {
        case 0: return "b"
        case 1: return "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        default:
            let count = 1 + random.below(70)
            return String(decoding: (0..<count).map { _ in boundaryCharacters[random.below(boundaryCharacters.count)] }, as: UTF8.self)
        }
    }

    /// A well-formed form of up to four parts, whose bodies are full of near-delimiters; with
    /// `ascii`, no byte above 0x7F.
    static func form(boundary: String, ascii: Bool, _ random: inout SplitMix) -> [UInt8] {
        let delimiter = Array("\r\n--\(boundary)".utf8)
        var body: [UInt8] = []
        if random.below(4) == 0 { body += tricky(delimiter, count: random.below(30), ascii: true, &random) }
        body += random.below(3) == 0 ? delimiter : Array(delimiter.dropFirst(2))
        for _ in 0..<random.below(5) {
            body += Array("\r\n".utf8)
            for _ in 0..<random.below(4) { body += headerLine(ascii: ascii, &random) }
            body += Array("\r\n".utf8)
            let count = random.below(3) == 0 ? random.below(3_000) : random.below(60)
            var part = tricky(delimiter, count: count, ascii: ascii, &random)
            // A delimiter made by chance would read the bytes after it as header lines.
            if !ascii, part.firstRange(of: delimiter) != nil { part = tricky(delimiter, count: count, ascii: true, &random) }
            body += part + delimiter
        }
        body += Array("--".utf8)
        if random.below(3) == 0 { body += tricky(delimiter, count: random.below(20), ascii: ascii, &random) }
        return body
    }

    static func headerLine(ascii: Bool, _ random: inout SplitMix) -> [UInt8] {
        let names = ["Content-Disposition", "Content-Type", "X-a", "content-disposition"]
        let values = ["form-data; name=\"cv\"; filename=\"cv.pdf\"", "  \ttext/plain", "", " a\nb"] + (ascii ? [] : ["n\u{E6}vn \u{1F600}"])
        var name = Array(names[random.below(names.count)].utf8)
        var value = Array(values[random.below(values.count)].utf8)
        if !ascii, random.below(8) == 0 { value += [0xFF, 0x41] } // not UTF-8: read as ""
        if random.below(10) == 0 { name.insert(UInt8(random.below(128)), at: random.below(name.count + 1)) }
        if random.below(12) == 0 { return name + Array("\r\n".utf8) } // no colon
        return name + Array(":".utf8) + value + Array("\r\n".utf8)
    }

    /// Bytes in which CR, LF, "-" and beginnings of the delimiter are common.
    static func tricky(_ delimiter: [UInt8], count: Int, ascii: Bool, _ random: inout SplitMix) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            switch random.below(10) {
            case 0: bytes.append(13)
            case 1: bytes.append(10)
            case 2: bytes.append(45)
            case 3: bytes += delimiter.prefix(1 + random.below(delimiter.count - 1)) // never all of it
            case 4: bytes += Array("\r\n--".utf8)
            default: bytes.append(UInt8(random.below(ascii ? 128 : 256)))
            }
        }
        return bytes
    }

    /// A byte changed, inserted or removed, or the end cut off, or none; no byte above 0x7F.
    static func mutated(_ body: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        var body = body
        guard !body.isEmpty else { return body }
        switch random.below(6) {
        case 0: body[random.below(body.count)] = UInt8(random.below(128))
        case 1: body.insert(UInt8(random.below(128)), at: random.below(body.count))
        case 2: body.remove(at: random.below(body.count))
        case 3: body.removeLast(random.below(body.count))
        default: break
        }
        return body
    }

    /// Where the body is cut into the pieces the readers are fed: one piece, or many small ones.
    static func cuts(_ count: Int, _ random: inout SplitMix) -> [Int] {
        guard random.below(4) != 0 else { return [] }
        var cuts: [Int] = []
        var at = 0
        let largest = [2, 7, 64, 1_000][random.below(4)]
        while at < count {
            at += 1 + random.below(largest)
            cuts.append(at)
        }
        return cuts
    }
}

/// A small seeded generator, so that a failing case is the same case every run.
struct SplitMix {
    var seed: UInt64

    mutating func next() -> UInt64 {
        seed &+= 0x9E37_79B9_7F4A_7C15
        var z = seed
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
