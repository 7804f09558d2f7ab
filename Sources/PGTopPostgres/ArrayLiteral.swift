/// PostgreSQL array literals for query parameters, written straight into one string: a
/// refresh sends thousands of keys, so no String per number.
///
///     ArrayLiteral.integers([4211, -1])   // "{4211,-1}"
///     ArrayLiteral.booleans([true, false]) // "{t,f}"
enum ArrayLiteral {
    /// "00" "01" ... "99": the two digits of each number below 100.
    private static let digitPairs: [UInt8] = (0..<100).flatMap { [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)] }

    static func integers(_ values: [Int64]) -> String {
        // 20 bytes hold any Int64 with its sign; one more for each comma and the braces.
        String(unsafeUninitializedCapacity: values.count * 21 + 2) { out in
            var n = 0
            out[n] = UInt8(ascii: "{"); n += 1
            digitPairs.withUnsafeBufferPointer { pairs in
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
                        // Two digits at a time from the table: half the divisions.
                        while v >= 10 {
                            let pair = Int(truncatingIfNeeded: v % 100) &* 2
                            v /= 100
                            at -= 2
                            out[at] = pairs[pair]
                            out[at + 1] = pairs[pair + 1]
                        }
                        if at > n - digits { out[at - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v) }
                    }
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
