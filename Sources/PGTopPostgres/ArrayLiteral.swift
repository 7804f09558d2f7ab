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
            values.withUnsafeBufferPointer { values in
                for i in values.indices {
                    if i > 0 { out[n] = UInt8(ascii: ","); n += 1 }
                    let value = values[i]
                    if value < 0 { out[n] = UInt8(ascii: "-"); n += 1 }
                    // Counted first, the digits go straight to their places, lowest last.
                    var v = value.magnitude
                    var digits = 1
                    var bound: UInt64 = 10
                    while v >= bound && digits < 20 {
                        digits += 1
                        bound = bound &* 10
                    }
                    n += digits
                    var at = n
                    repeat {
                        at -= 1
                        out[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                        v /= 10
                    } while v > 0
                }
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
