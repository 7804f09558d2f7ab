import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import PGTopCore

@Suite struct SanitizerTests {
    @Test func controlCharactersAreShownAsQuestionMarks() {
        #expect(Sanitizer.clean("a\u{1B}[2Jb") == "a?[2Jb")
        #expect(Sanitizer.clean("\u{07}\u{00}\u{7F}\u{9B}") == "????")
        #expect(Sanitizer.clean("bad \u{FFFD} utf8") == "bad ? utf8")
    }

    @Test func whiteSpaceFoldsToOneSpace() {
        #expect(Sanitizer.clean("SELECT\n\t  1\r\n FROM\u{2028}t") == "SELECT 1 FROM t")
    }

    @Test func invisibleFormattingIsDropped() {
        #expect(Sanitizer.clean("ab\u{202E}cd\u{200F}\u{200D}e\u{FE0F}") == "abcde")
    }

    @Test func combiningMarksNeedABaseAndAreCapped() {
        #expect(Sanitizer.clean("\u{301}e\u{301}") == "e\u{301}")
        let zalgo = "a" + String(repeating: "\u{300}", count: 20)
        #expect(Sanitizer.clean(zalgo).unicodeScalars.count == 4)
        #expect(CellWidth.of(Sanitizer.clean(zalgo)) == 1)
    }

    @Test func widthsAreCells() {
        #expect(CellWidth.of("abc") == 3)
        #expect(CellWidth.of("日本語") == 6)
        #expect(CellWidth.of("😀") == 2)
        #expect(CellWidth.of("e\u{301}") == 1)
    }

    @Test func fitNeverSplitsAWideCharacter() {
        let (text, cells) = Sanitizer.fit("日本語", width: 5)
        #expect(text == "日本")
        #expect(cells == 4)
        #expect(Padding.column("日本語", width: 5) == "日本…")  // cut, and says so (issue 13.7)
        #expect(Padding.column("日本語", width: 4) == "日… ")
        #expect(Padding.column("日本語日本語", width: 4, ascii: true) == "???~")
        #expect(Padding.column("日本語", width: 6) == "日本語")
        #expect(Padding.column("42", width: 5, alignRight: true) == "   42")
    }

    @Test func aMegabyteIsCutCheaply() {
        let huge = String(repeating: "\u{1B}[31mX\n", count: 200_000)
        let (text, cells) = Sanitizer.fit(huge, width: 80)
        #expect(cells == 80)
        #expect(!text.contains("\u{1B}"))
    }

    /// Random bytes (as a server with SQL_ASCII encoding can send) and random scalars:
    /// nothing that reaches the screen is a control character, and nothing is wider than asked.
    @Test func fuzz() {
        var rng = SplitMix(seed: 0x5EED)
        for round in 0..<3000 {
            let s: String
            if round % 2 == 0 {
                let bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                s = String(decoding: bytes, as: UTF8.self)
            } else {
                var scalars = String.UnicodeScalarView()
                for _ in 0..<Int(rng.next() % 100) {
                    let v = UInt32(truncatingIfNeeded: rng.next() % (round % 4 == 1 ? 0x110000 : 0x3000))
                    if let scalar = Unicode.Scalar(v) { scalars.append(scalar) }
                }
                s = String(scalars)
            }
            let width = Int(rng.next() % 60)
            for ascii in [false, true] {
                let (text, cells) = Sanitizer.fit(s, width: width, ascii: ascii)
                #expect(cells <= width)
                #expect(CellWidth.of(text) == cells)
                for scalar in text.unicodeScalars {
                    #expect(scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80..<0xA0).contains(scalar.value))
                    if ascii { #expect(scalar.isASCII) }
                }
                let column = Padding.column(s, width: width, ascii: ascii)
                #expect(CellWidth.of(column) == width)
            }
            // A whole screen built from hostile text still fits.
            if round % 50 == 0 {
                var st = state([backend(1, db: s, user: s, client: s, app: s, query: s)])
                st.filter.text = s
                st.setPageSize(5)
                for w in [20, 57, 100] {
                    for line in ScreenLayout.render(st, width: w, height: 12).lines {
                        #expect(CellWidth.of(line.text) <= w)
                        #expect(!line.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) })
                    }
                }
            }
        }
    }

    #if canImport(Glibc)
    /// The terminal (through ncurses) counts cells with the C library's wcwidth; so must we,
    /// for every character the sanitiser lets through.
    @Test func cellWidthsAgreeWithTheCLibrary() throws {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { return }
        var disagreements: [String] = []
        for v in UInt32(0xA0)..<UInt32(0x40000) {
            guard let scalar = Unicode.Scalar(v) else { continue }
            guard case .printable(let shown, let w) = Sanitizer.classify(scalar, ascii: false), shown == scalar else { continue }
            let c = Int(c_wcwidth(Int32(bitPattern: v)))
            if c != w && c != -1 { disagreements.append("U+\(String(v, radix: 16)) ours \(w) libc \(c)") }
        }
        #expect(disagreements.count < 40, "\(disagreements.count): \(disagreements)")
    }
    #endif
}

#if canImport(Glibc)
/// glibc's wcwidth (not exported by the Glibc module without _XOPEN_SOURCE).
@_silgen_name("wcwidth") func c_wcwidth(_ c: Int32) -> Int32
#endif

/// A small deterministic generator, so a failing fuzz case can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The byte-level fast path renders exactly as the scalar path does.
@Suite struct SanitizerFastPathTests {
    @Test func agreesWithTheScalarPath() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "Z", " ", " ", "~", "!", "0", "\t", "\u{7F}", "é"]
        for _ in 0..<3000 {
            let text = String((0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let width = Int.random(in: 1...45, using: &rng)
            for fold in [true, false] {
                let fast = Sanitizer.fit(text, width: width, foldSpaces: fold)
                let slow = Sanitizer.fitScalars(text, width: width, ascii: false, foldSpaces: fold)
                #expect(fast == slow, "\(text.debugDescription) width \(width) fold \(fold)")
            }
        }
    }
}
