import PGTopCore

/// The rest of an escape sequence ncurses did not turn into a key code.
///
/// ncurses recognises the sequences the terminfo entry lists. Others (Shift-Up `ESC [1;2A`
/// on TERM=screen, the keypad in application mode `ESC O q`, Alt-x `ESC x`) come back as Esc
/// followed at once by their characters. Taken one by one they would be keys: `A` marks
/// every row, `q` quits. So an Esc followed in the same read by more characters is matched
/// here as one sequence; a human cannot type Esc and then another key within the escape
/// delay. The application keypad's keys are kept (digits, + - / Enter, arrows); anything
/// else is dropped.
///
///     EscapeSequence.match([.character("["), .character("1"), .character(";"),
///                           .character("2"), .character("A")][...])   // 5 events, no key
///     EscapeSequence.match([.character("O"), .character("q")][...])  // 2 events, .char("1")
struct EscapeSequence: Equatable {
    /// How many events after the Esc belong to the sequence.
    var length: Int
    /// The key it stands for, if pgtop knows one.
    var key: Key?

    /// The sequence that starts right after an Esc, or nil when the Esc stands alone
    /// (nothing follows in this read, or a key code, another Esc or a control character).
    static func match(_ rest: ArraySlice<KeyDecoder.Event>) -> EscapeSequence? {
        guard let first = rest.first, !first.isKeyCode else { return nil }
        switch first.code {
        case 0x5B:  // ESC [ : CSI, parameters and intermediates, then a final byte
            var length = 1
            var parameters: [Int32] = []
            for event in rest.dropFirst() {
                guard !event.isKeyCode else { break }
                if (0x40...0x7E).contains(event.code) {
                    return EscapeSequence(length: length + 1, key: bracketedPaste(parameters, final: event.code))
                }
                guard (0x20...0x3F).contains(event.code) else { break }
                parameters.append(event.code)
                length += 1
            }
            return EscapeSequence(length: length, key: nil)
        case 0x4F:  // ESC O : SS3, one more character
            let second = rest.dropFirst().first
            guard let second, !second.isKeyCode else { return EscapeSequence(length: 1, key: nil) }
            return EscapeSequence(length: 2, key: singleShift(second.code))
        case 0x20...0x7E, 0xA0...:  // Alt plus a character
            return EscapeSequence(length: 1, key: nil)
        default:
            return nil
        }
    }

    /// `ESC [200~` and `ESC [201~`: the terminal's brackets around a paste (mode 2004).
    static func bracketedPaste(_ parameters: [Int32], final: Int32) -> Key? {
        guard final == 0x7E else { return nil }
        if parameters == [0x32, 0x30, 0x30] { return .pasteBegin }
        if parameters == [0x32, 0x30, 0x31] { return .pasteEnd }
        return nil
    }

    /// VT100 application keypad and cursor keys: `ESC O` then one character.
    static func singleShift(_ code: Int32) -> Key? {
        guard let scalar = Unicode.Scalar(UInt32(bitPattern: code)) else { return nil }
        switch scalar {
        case "p"..."y": return .char(Character(Unicode.Scalar(scalar.value - 0x70 + 0x30)!))
        case "M": return .enter
        case "k": return .char("+")
        case "m": return .char("-")
        case "j": return .char("*")
        case "o": return .char("/")
        case "n": return .char(".")
        case "l": return .char(",")
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "P"..."S": return .function(Int(scalar.value - 0x50) + 1)
        default: return nil
        }
    }
}
