import CNCursesShim
import PGTopCore

/// What `wget_wch` returned to a `Key`. Pure: tested without a terminal.
///
///     KeyDecoder.decode(0x65E5, isFunctionKey: false)          // .char("日")
///     KeyDecoder.decode(3, isFunctionKey: false)               // .ctrl("c")
///     KeyDecoder.decode(KEY_NPAGE, isFunctionKey: true)        // .pageDown
///
/// `decode(_: [Event])` decodes all that one read drained, and takes care of the escape
/// sequences ncurses did not recognise (see `EscapeSequence`).
enum KeyDecoder {
    /// One `wget_wch` result: a key code (KEY_CODE_YES) or a character (OK).
    struct Event: Equatable {
        var code: Int32
        var isKeyCode: Bool
        /// For KEY_MOUSE: what `getmouse` said, read right when the event came.
        var mouse: Mouse?

        static func character(_ code: Int32) -> Event { Event(code: code, isKeyCode: false) }
        static func character(_ scalar: Unicode.Scalar) -> Event { Event(code: Int32(scalar.value), isKeyCode: false) }
        static func keyCode(_ code: Int32) -> Event { Event(code: code, isKeyCode: true) }
        static func mouse(_ mouse: Mouse) -> Event { Event(code: pgtop_key_mouse(), isKeyCode: true, mouse: mouse) }
    }

    /// The keys in what one read drained, in order. An Esc followed in the same read by
    /// the rest of an escape sequence is that sequence, not Esc plus characters.
    /// The mouse event `getmouse` holds after KEY_MOUSE, if it is one pgtop uses.
    static func mouse(kind: Int32, x: Int32, y: Int32) -> Mouse? {
        switch kind {
        case 1: return Mouse(.press, x: Int(x), y: Int(y))
        case 4: return Mouse(.wheelUp, x: Int(x), y: Int(y))
        case 5: return Mouse(.wheelDown, x: Int(x), y: Int(y))
        default: return nil
        }
    }

    static func decode(_ events: [Event], codes: Codes = ncurses) -> [Key] {
        var keys: [Key] = []
        var index = 0
        while index < events.count {
            let event = events[index]
            index += 1
            if !event.isKeyCode && event.code == 27, let sequence = EscapeSequence.match(events[index...]) {
                index += sequence.length
                if let key = sequence.key { keys.append(key) }
                continue
            }
            if let mouse = event.mouse {
                keys.append(.mouse(mouse))
            } else if let key = decode(event.code, isFunctionKey: event.isKeyCode, codes: codes) {
                keys.append(key)
            }
        }
        return keys
    }

    /// The ncurses key codes the decoder knows, read once from the C side.
    struct Codes: Sendable {
        var up, down, left, right, pageUp, pageDown, home, end, enter, backspace, delete, resize: Int32
        /// Keypad and terminal variants: KEY_A1 (keypad 7), KEY_FIND, KEY_SHOME.
        var altHome: [Int32]
        /// KEY_C1 (keypad 1), KEY_SELECT, KEY_LL, KEY_SEND.
        var altEnd: [Int32]
        /// KEY_A3 (keypad 9), KEY_C3 (keypad 3).
        var altPageUp: [Int32]
        var altPageDown: [Int32]
        /// KEY_F(1); KEY_F(n) is f1 + n - 1.
        var f1: Int32
    }

    static let ncurses = Codes(
        up: KEY_UP, down: KEY_DOWN, left: KEY_LEFT, right: KEY_RIGHT, pageUp: KEY_PPAGE, pageDown: KEY_NPAGE,
        home: KEY_HOME, end: KEY_END, enter: KEY_ENTER, backspace: KEY_BACKSPACE, delete: KEY_DC,
        resize: KEY_RESIZE, altHome: [KEY_A1, KEY_FIND, KEY_SHOME], altEnd: [KEY_C1, KEY_SELECT, KEY_LL, KEY_SEND],
        altPageUp: [KEY_A3], altPageDown: [KEY_C3], f1: pgtop_key_f(1))

    /// - Parameters:
    ///   - code: what `wget_wch` stored.
    ///   - isFunctionKey: it returned KEY_CODE_YES (a key code), not OK (a character).
    /// - Returns: nil for what pgtop does not use (KEY_MOUSE without its event, unknown codes, control
    ///   characters that are not Ctrl plus a letter).
    static func decode(_ code: Int32, isFunctionKey: Bool, codes: Codes = ncurses) -> Key? {
        isFunctionKey ? decodeKeyCode(code, codes) : decodeCharacter(code)
    }

    private static func decodeKeyCode(_ code: Int32, _ codes: Codes) -> Key? {
        switch code {
        case codes.up: return .up
        case codes.down: return .down
        case codes.left: return .left
        case codes.right: return .right
        case codes.pageUp: return .pageUp
        case codes.pageDown: return .pageDown
        case codes.home: return .home
        case codes.end: return .end
        case codes.enter: return .enter
        case codes.backspace: return .backspace
        case codes.delete: return .delete
        case codes.resize: return .resize
        default:
            if codes.altHome.contains(code) { return .home }
            if codes.altEnd.contains(code) { return .end }
            if codes.altPageUp.contains(code) { return .pageUp }
            if codes.altPageDown.contains(code) { return .pageDown }
            if code >= codes.f1 && code < codes.f1 + 12 { return .function(Int(code - codes.f1) + 1) }
            return nil
        }
    }

    private static func decodeCharacter(_ code: Int32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))
        case 0..<32, 0x80..<0xA0: return nil  // other C0 controls, C1 controls
        default:
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: code)) else { return nil }
            return .char(Character(scalar))
        }
    }
}
