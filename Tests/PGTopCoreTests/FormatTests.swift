import Testing
@testable import PGTopCore

@Suite struct FormatTests {
    static let cases: [(Double, String)] = [
        (0.0, "0s"), (0.9, "0s"), (59.0, "59s"), (60.0, "1:00"), (187.5, "3:07"),
        (3599.0, "59:59"), (3600.0, "1:00:00"), (48_048.0, "13:20:48"), (86_399.0, "23:59:59"),
        (86_400.0, "1d 00:00"), (2 * 86_400.0 + 4 * 3600 + 5 * 60, "2d 04:05"), (-5.0, "0s"),
    ]

    @Test(arguments: cases)
    func duration(seconds: Double, expected: String) {
        #expect(Format.duration(seconds) == expected)
    }

    @Test func missingDurationIsBlank() {
        #expect(Format.duration(nil) == "")
        #expect(Format.duration(.nan) == "")
    }

    @Test func interval() {
        #expect(Format.interval(1) == "1s")
        #expect(Format.interval(0.5) == "0.5s")
        #expect(Format.interval(0.1) == "0.1s")
        #expect(Format.interval(30) == "30s")
    }
}

