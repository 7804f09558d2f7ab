/// PostgreSQL array literals for query parameters, written straight into one string: a
/// refresh sends thousands of keys, so no String per number.
///
///     ArrayLiteral.integers([4211, -1])   // "{4211,-1}"
///     ArrayLiteral.booleans([true, false]) // "{t,f}"
enum ArrayLiteral {
    static func integers(_ values: [Int64]) -> String {
        // 20 bytes hold any Int64 with its sign; one more for each comma and the braces.
        String(unsafeUninitializedCapacity: values.count * 21 + 2) { out in
            var n = 0
            out[n] = UInt8(ascii: "{"); n += 1
            for (i, value) in values.enumerated() {
                if i > 0 { out[n] = UInt8(ascii: ","); n += 1 }
                if value < 0 { out[n] = UInt8(ascii: "-"); n += 1 }
                var v = value.magnitude
                let first = n
                repeat {
                    out[n] = UInt8(ascii: "0") + UInt8(v % 10)
                    n += 1
                    v /= 10
                } while v > 0
                // The digits went in lowest first: turn them round.
                var (l, r) = (first, n - 1)
                while l < r { out.swapAt(l, r); l += 1; r -= 1 }
            }
            out[n] = UInt8(ascii: "}"); n += 1
            return n
        }
    }

    static func booleans(_ values: [Bool]) -> String {
        String(unsafeUninitializedCapacity: values.count * 2 + 2) { out in
            var n = 0
            out[n] = UInt8(ascii: "{"); n += 1
            for (i, value) in values.enumerated() {
                if i > 0 { out[n] = UInt8(ascii: ","); n += 1 }
                out[n] = UInt8(ascii: value ? "t" : "f"); n += 1
            }
            out[n] = UInt8(ascii: "}"); n += 1
            return n
        }
    }
}
