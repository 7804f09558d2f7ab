import Glibc
import PGTopCore

/// The last text read from one column, handed out again when the next value has the same bytes.
struct Interned {
    var last = ""

    mutating func string(_ p: UnsafePointer<CChar>?, _ n: Int) -> String {
        guard let p, n > 0 else { return "" }
        let same = last.utf8.count == n && last.utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, p, n) == 0 } == true
        if !same { last = String(cString: p) }
        return last
    }
}

/// Values in the server's text format, read in place, never through the C library's
/// locale-dependent parsers (the terminal sets LC_ALL); a value that does not parse whole is nil.
enum Parse {
    static func integer(_ p: UnsafePointer<CChar>?, _ n: Int) -> Int64? {
        guard let p, n > 0, n <= 20 else { return nil }
        var i = 0, negative = false
        if p[0] == 0x2D { negative = true; i = 1 }  // "-"
        guard i < n else { return nil }
        var v: Int64 = 0
        while i < n {
            let d = Int64(p[i]) - 0x30
            guard d >= 0 && d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(negative ? -d : d)
            guard !o1 && !o2 else { return nil }
            v = s
            i += 1
        }
        return v
    }

    /// `4211,4212`: the pids, skipping anything else.
    static func pids(_ p: UnsafePointer<CChar>?, _ n: Int) -> [Int32] {
        guard let p, n > 0 else { return [] }
        var out: [Int32] = []
        var commas = 0
        for k in 0..<n where p[k] == 0x2C { commas += 1 }
        out.reserveCapacity(commas + 1)  // a waiter may be held up by a hundred others
        var i = 0
        while i < n {
            var j = i
            while j < n && p[j] != 0x2C { j += 1 }  // ","
            if let v = integer(p + i, j - i), let v32 = Int32(exactly: v) { out.append(v32) }
            i = j + 1
        }
        return out
    }

    static func state(_ p: UnsafePointer<CChar>?, _ n: Int) -> BackendState {
        guard let p, n > 0 else { return .none }
        switch n {
        case 4 where strcmp(p, "idle") == 0: return .idle
        case 6 where strcmp(p, "active") == 0: return .active
        case 19 where strcmp(p, "idle in transaction") == 0: return .idleInTransaction
        default: return BackendState(serverText: String(cString: p))
        }
    }
}
