import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a `multipart/form-data` body into header fields, body bytes and part ends, as the
/// body streams in (RFC 2046 section 5.1.1, RFC 7578), without collecting it.
///
/// Lethe's own, not MultipartKit's `MultipartParser` (4.7.1), for two reasons:
/// - that parser trapped on a header name byte above 0x7F (its table of allowed bytes has 128
///   entries), so one request stopped the whole server;
/// - it looks at a part's body one byte at a time and copies every run between two CRs into a
///   new buffer: 13% of the server's CPU for an application with a 200 KiB CV. Here `memchr`
///   finds each CR, the delimiter is compared only there, and the body is handed on as slices
///   of the received buffer (no copy).
///
/// What it accepts is MultipartKit's grammar, to the byte: `MultipartScannerTests` feeds both
/// the same bodies, in random pieces, and expects the same fields, bytes and part ends, and a
/// refusal from one exactly where the other refuses.
struct MultipartScanner {
    enum Event {
        /// A header field of the current part: its name and value (leading blanks dropped).
        case header(name: String, value: String)
        /// Bytes of the current part's body, in order; a part's body may come in many.
        case body(ByteBuffer)
        /// The current part is complete.
        case partComplete
    }

    enum Failure: Error, Equatable {
        /// The bytes are not multipart as the grammar above reads it.
        case syntax
        /// The preamble, or one part's header lines, went past `maxHeaderBytes`.
        case headersTooLarge
    }

    /// "\r\n--" and the boundary: what ends a part's body.
    private let delimiter: [UInt8]
    /// The most bytes of the preamble, or of one part's header lines.
    private let maxHeaderBytes: Int
    private var state = State.preamble(matched: 0)
    /// Bytes read since the current preamble or header block began.
    private var headerBytes = 0
    /// The header line being read (up to its CR).
    private var line: [UInt8] = []
    /// Where the name of the header line being read ends (its colon), once read.
    private var nameEnd: Int?

    private enum State {
        /// Before the first delimiter; `matched` of its bytes are seen.
        case preamble(matched: Int)
        /// After a delimiter that opens a part: CR LF must follow (`sawCR`: the CR has).
        case lineFeed(sawCR: Bool)
        /// Reading a header line into `line`, or the empty line that ends the headers.
        case headerLine
        /// The CR that ends a header line was read; the LF must follow.
        case headerLineFeed
        /// In a part's body.
        case body
        /// The input ended `matched` bytes into what may be a delimiter.
        case delimiter(matched: Int)
        /// A full delimiter was read: a CR LF (next part) or "-" (the last) follows.
        case afterDelimiter
        /// After the last delimiter: everything is ignored.
        case epilogue
    }

    /// The last delimiter ("--boundary--") has been read: the body is complete.
    var isComplete: Bool {
        if case .epilogue = state { return true }
        return false
    }

    /// Whether `boundary` can delimit parts: 1 to 70 bytes (RFC 2046), no CR or LF (the
    /// delimiter's only CR must be its first byte).
    static func accepts(boundary: String) -> Bool {
        (1...70).contains(boundary.utf8.count) && !boundary.utf8.contains(where: { $0 == .cr || $0 == .lf })
    }

    /// - Parameter boundary: the `boundary` parameter of the body's `Content-Type`, one that
    ///   `accepts(boundary:)`.
    init(boundary: String, maxHeaderBytes: Int) {
        precondition(Self.accepts(boundary: boundary))
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// Reads all of `input`, calling `emit` for what it finds, in order.
    mutating func scan(_ input: inout ByteBuffer, _ emit: (Event) throws -> Void) throws {
        while input.readableBytes > 0 {
            switch state {
            case .preamble(let matched):
                try scanPreamble(&input, matched: matched)
            case .lineFeed(let sawCR):
                try countHeaderByte()
                let byte = input.readInteger(as: UInt8.self)!
                if !sawCR, byte == .cr {
                    state = .lineFeed(sawCR: true)
                } else if sawCR, byte == .lf {
                    state = .headerLine
                } else {
                    throw Failure.syntax
                }
            case .headerLine:
                try scanHeaderLine(&input)
            case .headerLineFeed:
                try countHeaderByte()
                guard input.readInteger(as: UInt8.self) == .lf else { throw Failure.syntax }
                try endHeaderLine(emit)
            case .body:
                try scanBody(&input, emit)
            case .delimiter(let matched):
                try continueDelimiter(&input, matched: matched, emit)
            case .afterDelimiter:
                let byte = input.readInteger(as: UInt8.self)!
                try emit(.partComplete)
                headerBytes = 0
                switch byte {
                case .cr: state = .lineFeed(sawCR: true)
                case .hyphen: state = .epilogue
                default: throw Failure.syntax
                }
            case .epilogue:
                input.moveReaderIndex(forwardBy: input.readableBytes)
            }
        }
    }

    private mutating func countHeaderByte() throws {
        headerBytes += 1
        guard headerBytes <= maxHeaderBytes else { throw Failure.headersTooLarge }
    }

    /// The first delimiter may open the body without its CR LF; any byte before it is preamble.
    private mutating func scanPreamble(_ input: inout ByteBuffer, matched: Int) throws {
        var matched = matched
        while matched < delimiter.count, let byte = input.readInteger(as: UInt8.self) {
            try countHeaderByte()
            if matched == 0, byte == delimiter[2] {
                matched = 3 // "-": the body may begin with "--boundary"
            } else if byte == delimiter[matched] {
                matched += 1
            } else if matched > 0, byte == delimiter[0] {
                matched = 1
            } else {
                matched = 0
            }
        }
        if matched == delimiter.count {
            headerBytes = 0
            state = .lineFeed(sawCR: false)
        } else {
            state = .preamble(matched: matched)
        }
    }

    /// A header line's name is checked byte by byte as it comes (MultipartKit refuses at the
    /// first byte a name may not have); its value is any bytes up to the CR.
    private mutating func scanHeaderLine(_ input: inout ByteBuffer) throws {
        while let byte = input.readInteger(as: UInt8.self) {
            try countHeaderByte()
            if byte == .cr {
                guard line.isEmpty || nameEnd != nil else { throw Failure.syntax }
                state = .headerLineFeed
                return
            }
            if nameEnd == nil {
                if byte == .colon, !line.isEmpty {
                    nameEnd = line.count
                } else if !byte.isTokenByte {
                    throw Failure.syntax
                }
            }
            line.append(byte)
        }
    }

    /// A complete header line: a field, or the empty line before the body.
    private mutating func endHeaderLine(_ emit: (Event) throws -> Void) throws {
        defer {
            line.removeAll(keepingCapacity: true)
            nameEnd = nil
        }
        guard let nameEnd else {
            state = .body
            return
        }
        let value = line[(nameEnd + 1)...].drop { $0.isSpaceOrTab }
        let text = String(validating: value, as: UTF8.self) ?? "" // as MultipartKit reads it
        try emit(.header(name: String(decoding: line[..<nameEnd], as: UTF8.self), value: text))
        state = .headerLine
    }

    /// Hands on the body up to the next delimiter, or up to the end of `input` but for a tail
    /// that may be a delimiter's beginning.
    private mutating func scanBody(_ input: inout ByteBuffer, _ emit: (Event) throws -> Void) throws {
        let found = input.withUnsafeReadableBytes { bytes in
            delimiter.withUnsafeBytes { delimiter in Self.findDelimiter(delimiter, in: bytes) }
        }
        switch found {
        case .none:
            try emit(.body(input.readSlice(length: input.readableBytes)!))
        case .whole(let at):
            if at > 0 { try emit(.body(input.readSlice(length: at)!)) }
            input.moveReaderIndex(forwardBy: delimiter.count)
            state = .afterDelimiter
        case .beginning(let at):
            if at > 0 { try emit(.body(input.readSlice(length: at)!)) }
            let matched = input.readableBytes
            input.moveReaderIndex(forwardBy: matched)
            state = .delimiter(matched: matched)
        }
    }

    private enum Found {
        case none
        /// The whole delimiter starts at this offset.
        case whole(at: Int)
        /// The bytes from this offset to the end are the delimiter's first bytes.
        case beginning(at: Int)
    }

    private static func findDelimiter(_ delimiter: UnsafeRawBufferPointer, in bytes: UnsafeRawBufferPointer) -> Found {
        guard let base = bytes.baseAddress, let delimiterBase = delimiter.baseAddress else { return .none }
        var from = 0
        while from < bytes.count, let cr = memchr(base + from, Int32(UInt8.cr), bytes.count - from) {
            let at = base.distance(to: UnsafeRawPointer(cr))
            let compared = min(delimiter.count, bytes.count - at)
            if memcmp(base + at, delimiterBase, compared) == 0 {
                return compared == delimiter.count ? .whole(at: at) : .beginning(at: at)
            }
            from = at + 1
        }
        return .none
    }

    /// The input ended inside what may be a delimiter: the next bytes tell. When they do not
    /// continue it, the bytes held back were body after all.
    private mutating func continueDelimiter(_ input: inout ByteBuffer, matched: Int, _ emit: (Event) throws -> Void) throws {
        var matched = matched
        while matched < delimiter.count, let byte = input.getInteger(at: input.readerIndex, as: UInt8.self) {
            guard byte == delimiter[matched] else {
                try emit(.body(ByteBuffer(bytes: delimiter[..<matched])))
                state = .body // the byte is read again there: it may begin a delimiter
                return
            }
            matched += 1
            input.moveReaderIndex(forwardBy: 1)
        }
        state = matched == delimiter.count ? .afterDelimiter : .delimiter(matched: matched)
    }
}

private extension UInt8 {
    /// A byte a header field's name may have (RFC 822's token: any visible US-ASCII but the
    /// specials), as MultipartKit's table allows them.
    var isTokenByte: Bool {
        guard self > 32, self < 127 else { return false }
        return !"()<>@,;:\\\"/[]?={}".utf8.contains(self)
    }
}
