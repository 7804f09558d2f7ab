import CNCursesShim
import PGTopCore
import Testing
@testable import PGTopTerminal

/// Escape sequences ncurses did not recognise arrive as Esc plus characters in one read.
@Suite struct EscapeSequenceTests {
    typealias Event = KeyDecoder.Event

    func events(_ text: String) -> [Event] { text.unicodeScalars.map { Event.character($0) } }

    @Test func escAloneIsEscape() {
        #expect(KeyDecoder.decode(events("\u{1B}")) == [.escape])
        #expect(KeyDecoder.decode(events("\u{1B}\u{1B}")) == [.escape, .escape])
        #expect(KeyDecoder.decode(events("\u{1B}") + [.keyCode(KEY_UP)]) == [.escape, .up])
        #expect(KeyDecoder.decode(events("\u{1B}\r")) == [.escape, .enter])
    }

    @Test func unknownCSISequencesAreDroppedWhole() {
        // Shift-Up, Ctrl-Up, Ctrl-Shift-End on a terminfo entry that lacks them; a focus event.
        #expect(KeyDecoder.decode(events("\u{1B}[1;2A")) == [])
        #expect(KeyDecoder.decode(events("\u{1B}[1;5Aq")) == [.char("q")])
        #expect(KeyDecoder.decode(events("k\u{1B}[1;6F")) == [.char("k")])
        #expect(KeyDecoder.decode(events("\u{1B}[I")) == [])
        #expect(KeyDecoder.decode(events("\u{1B}[202~")) == [])
        // ESC [200~ and ESC [201~ are not dropped: they bracket a paste (BracketedPasteDecoderTests).
        #expect(KeyDecoder.decode(events("\u{1B}[200~")) == [.pasteBegin])
    }

    @Test func anUnfinishedCSIStopsAtAKeyCodeOrAControlCharacter() {
        #expect(KeyDecoder.decode(events("\u{1B}[1;") + [.keyCode(KEY_DOWN)]) == [.down])
        #expect(KeyDecoder.decode(events("\u{1B}[1\r")) == [.enter])
        #expect(KeyDecoder.decode(events("\u{1B}[")) == [])
    }

    @Test func theApplicationKeypadKeepsItsKeys() {
        #expect(KeyDecoder.decode(events("\u{1B}Oq\u{1B}Or\u{1B}Os\u{1B}Ot")) == [.char("1"), .char("2"), .char("3"), .char("4")])
        #expect(KeyDecoder.decode(events("\u{1B}Op\u{1B}Oy")) == [.char("0"), .char("9")])
        #expect(KeyDecoder.decode(events("\u{1B}Ok\u{1B}Om\u{1B}Oo\u{1B}OM")) == [.char("+"), .char("-"), .char("/"), .enter])
        #expect(KeyDecoder.decode(events("\u{1B}OA\u{1B}OD\u{1B}OH\u{1B}OF")) == [.up, .left, .home, .end])
        #expect(KeyDecoder.decode(events("\u{1B}OP\u{1B}OS")) == [.function(1), .function(4)])
        #expect(KeyDecoder.decode(events("\u{1B}Ou")) == [.char("5")])
        #expect(KeyDecoder.decode(events("\u{1B}OZ")) == [])  // unknown: nothing
    }

    @Test func altPlusAKeyIsDroppedRatherThanTakenForThatKey() {
        #expect(KeyDecoder.decode(events("\u{1B}q")) == [])
        #expect(KeyDecoder.decode(events("\u{1B}x\u{1B}日")) == [])
        #expect(KeyDecoder.decode(events("\u{1B}q") + events("q")) == [.char("q")])
    }

    @Test func everythingElseDecodesOneByOne() {
        #expect(KeyDecoder.decode(events("ab日\u{3}") + [.keyCode(KEY_RESIZE), .keyCode(KEY_MOUSE)])
            == [.char("a"), .char("b"), .char("日"), .ctrl("c"), .resize])
    }
}
