import PGTopCore

/// ncurses key codes and characters to `Key`. Pure: tested without a terminal.
enum KeyDecoder {
    /// The ncurses constants the decoder needs, read once from the C side.
    struct Codes {
        var up, down, left, right, pageUp, pageDown, home, end, enter, backspace, delete, resize: Int32
        var altHome: [Int32]   // KEY_A1, KEY_FIND
        var altEnd: [Int32]    // KEY_C1, KEY_SELECT, KEY_LL
        var f1: Int32          // KEY_F(1); F(n) = f1 + n - 1
    }

    /// - Parameters:
    ///   - code: what `wget_wch` returned.
    ///   - isFunctionKey: true for KEY_CODE_YES (a key code), false for a character.
    static func decode(_ code: Int32, isFunctionKey: Bool, codes: Codes) -> Key? {
        if isFunctionKey {
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
                if code >= codes.f1 && code < codes.f1 + 12 { return .function(Int(code - codes.f1) + 1) }
                return nil
            }
        }
        switch code {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard code >= 32, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .char(Character(scalar))
        }
    }
}
