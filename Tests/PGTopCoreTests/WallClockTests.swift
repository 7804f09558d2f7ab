import Testing
@testable import PGTopCore

@Suite struct WallClockTests {
    // 2026-11-24 20:30:05 UTC
    let t: Int64 = 1_795_552_205_000_000

    @Test func formatsLocalTime() {
        #expect(WallClock().dateTime(t) == "2026-11-24 20:30:05")
        #expect(WallClock(utcOffset: 3600).dateTime(t) == "2026-11-24 21:30:05")
        #expect(WallClock(utcOffset: -21 * 3600).dateTime(t) == "2026-11-23 23:30:05")
        #expect(WallClock().time(0) == "00:00:00")
        #expect(WallClock().date(-1) == "1969-12-31")
    }

    @Test func parsesAbsoluteTimesInTheLocalZone() {
        #expect(WallClock().parse("2026-11-24 20:30:05", within: 0...1) == t)
        #expect(WallClock(utcOffset: 3600).parse("2026-11-24T21:30:05", within: 0...1) == t)
        #expect(WallClock().parse("2026-11-24 20:30", within: 0...1) == t - 5_000_000)
        #expect(WallClock().parse("2026-13-24 20:30", within: 0...1) == nil)
        #expect(WallClock().parse("25:00", within: 0...1) == nil)
        #expect(WallClock().parse("soon", within: 0...1) == nil)
    }

    @Test func aTimeOfDayIsItsLastOccurrenceInTheRecording() {
        let day: Int64 = 86_400_000_000
        // Recorded from 2026-11-23 18:00 to 2026-11-25 06:00: 03:12 is on the 25th.
        let first = t - 2 * 3600 * 1_000_000 - 30 * 60 * 1_000_000 - 5_000_000 - day  // 23rd 18:00:00
        let last = first + 36 * 3600 * 1_000_000
        let got = WallClock().parse("03:12", within: first...last)!
        #expect(WallClock().dateTime(got) == "2026-11-25 03:12:00")
        // 20:30 happened on the 23rd and the 24th: the 24th.
        #expect(WallClock().dateTime(WallClock().parse("20:30", within: first...last)!) == "2026-11-24 20:30:00")
        // Outside the recording: the nearest.
        let short = first...(first + 3_600_000_000)
        #expect(WallClock().dateTime(WallClock().parse("19:30", within: short)!) == "2026-11-23 19:30:00")
        #expect(WallClock().dateTime(WallClock().parse("17:00", within: short)!) == "2026-11-23 17:00:00")
    }

    @Test func relativeTimesMoveFromTheReference() {
        #expect(WallClock().parse("-10m", within: 0...t, reference: t) == t - 600_000_000)
        #expect(WallClock().parse("+2h", within: 0...t, reference: t) == t + 7_200_000_000)
    }
}
