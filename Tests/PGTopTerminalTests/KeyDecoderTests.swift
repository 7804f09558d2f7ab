import CNCursesShim
import PGTopCore
import Testing
@testable import PGTopTerminal

@Suite struct KeyDecoderTests {
    func character(_ code: Int32) -> Key? { KeyDecoder.decode(code, isFunctionKey: false) }
    func keyCode(_ code: Int32) -> Key? { KeyDecoder.decode(code, isFunctionKey: true) }

    @Test func printableCharactersIncludingWideOnes() {
        #expect(character(0x71) == .char("q"))
        #expect(character(0x20) == .char(" "))
        #expect(character(0x7E) == .char("~"))
        #expect(character(0xE9) == .char("é"))
        #expect(character(0x65E5) == .char("日"))
        #expect(character(0x1F600) == .char("😀"))
    }

    @Test func enterTabEscapeBackspace() {
        #expect(character(10) == .enter)
        #expect(character(13) == .enter)
        #expect(keyCode(KEY_ENTER) == .enter)
        #expect(character(9) == .tab)
        #expect(character(27) == .escape)
        #expect(character(127) == .backspace)
        #expect(character(8) == .backspace)
        #expect(keyCode(KEY_BACKSPACE) == .backspace)
        #expect(keyCode(KEY_DC) == .delete)
    }

    @Test func controlLettersAreCtrlWithTheLowercaseLetter() {
        #expect(character(1) == .ctrl("a"))
        #expect(character(3) == .ctrl("c"))
        #expect(character(12) == .ctrl("l"))
        #expect(character(26) == .ctrl("z"))
    }

    @Test func otherControlCharactersAreIgnored() {
        for code: Int32 in [0, 28, 29, 30, 31, 0x80, 0x85, 0x9B, 0x9F] {
            #expect(character(code) == nil, "code \(code)")
        }
        #expect(character(0xD800) == nil)  // a lone surrogate is no character
        #expect(character(-1) == nil)
        #expect(character(0x110000) == nil)
    }

    @Test func arrowsAndPaging() {
        #expect(keyCode(KEY_UP) == .up)
        #expect(keyCode(KEY_DOWN) == .down)
        #expect(keyCode(KEY_LEFT) == .left)
        #expect(keyCode(KEY_RIGHT) == .right)
        #expect(keyCode(KEY_PPAGE) == .pageUp)
        #expect(keyCode(KEY_NPAGE) == .pageDown)
        #expect(keyCode(KEY_HOME) == .home)
        #expect(keyCode(KEY_END) == .end)
    }

    @Test func keypadAndTerminalVariantsOfHomeEndAndPaging() {
        for code in [KEY_A1, KEY_FIND, KEY_SHOME] { #expect(keyCode(code) == .home) }
        for code in [KEY_C1, KEY_SELECT, KEY_LL, KEY_SEND] { #expect(keyCode(code) == .end) }
        #expect(keyCode(KEY_A3) == .pageUp)
        #expect(keyCode(KEY_C3) == .pageDown)
    }

    @Test func functionKeysOneToTwelve() {
        #expect(keyCode(pgtop_key_f(1)) == .function(1))
        #expect(keyCode(pgtop_key_f(10)) == .function(10))
        #expect(keyCode(pgtop_key_f(12)) == .function(12))
        #expect(keyCode(pgtop_key_f(13)) == nil)
        #expect(keyCode(pgtop_key_f(0)) == nil)
    }

    @Test func resizeMouseAndUnknownCodes() {
        #expect(keyCode(KEY_RESIZE) == .resize)
        #expect(keyCode(KEY_MOUSE) == nil)
        #expect(keyCode(KEY_BTAB) == nil)
        #expect(keyCode(0o777) == nil)
    }

    /// The same number is a key code or a character depending on what wget_wch returned:
    /// KEY_UP is 0o403, which is also U+0103 (ă).
    @Test func aCharacterIsNeverTakenForAKeyCode() {
        #expect(character(KEY_UP) == .char("ă"))
        #expect(keyCode(KEY_UP) == .up)
        #expect(keyCode(0x71) == nil)
    }
}

@Suite struct BracketedPasteDecoderTests {
    @Test func theBracketsAreKeysTheTextBetweenCharacters() {
        let events = [KeyDecoder.Event.character(27)] + "[200~".unicodeScalars.map { KeyDecoder.Event.character($0) }
            + "ky".unicodeScalars.map { KeyDecoder.Event.character($0) }
            + [.character(27)] + "[201~".unicodeScalars.map { KeyDecoder.Event.character($0) }
        #expect(KeyDecoder.decode(events) == [.pasteBegin, .char("k"), .char("y"), .pasteEnd])
    }
}
