import Testing
@testable import PGTopCore

/// `pgtop record --max-size` and the default recording file.
@Suite struct RecordingOptionsTests {
    @Test func sizesAsPeopleTypeThem() {
        #expect(ByteSize.bytes("2GB") == 2 << 30)
        #expect(ByteSize.bytes("2gb") == 2 << 30)
        #expect(ByteSize.bytes("1.5G") == 1_610_612_736)
        #expect(ByteSize.bytes("500MB") == 500 << 20)
        #expect(ByteSize.bytes("500 MiB") == 500 << 20)
        #expect(ByteSize.bytes("64k") == 64 << 10)
        #expect(ByteSize.bytes("64kB") == 64 << 10)
        #expect(ByteSize.bytes("1T") == 1 << 40)
        #expect(ByteSize.bytes("1048576") == 1 << 20)
        #expect(ByteSize.bytes("100B") == 100)
        for bad in ["", "GB", "lots", "-1G", "1.5.5G", "2 G B", "5i", "1e3M", "ib", "99999999999T"] {
            #expect(ByteSize.bytes(bad) == nil, "\(bad)")
        }
    }

    @Test func sizesReadBackAsWritten() {
        for text in ["2GB", "500MB", "1536kB", "100B", "3TB"] {
            #expect(ByteSize.text(ByteSize.bytes(text)!) == text)
        }
        #expect(ByteSize.text(1_610_612_736) == "1536MB")
    }

    @Test func oneFilePerServerNamedForItsEndpoint() {
        #expect(RecordingName.fileName(host: "db1", port: "5432") == "db1-5432.pgtop")
        #expect(RecordingName.fileName(host: "db1.example.com", port: "6432") == "db1.example.com-6432.pgtop")
        #expect(RecordingName.fileName(host: "/var/run/postgresql", port: "5433") == "local-5433.pgtop")
        #expect(RecordingName.fileName(host: "", port: "") == "local-5432.pgtop")
        #expect(RecordingName.fileName(host: "::1", port: "5432") == "__1-5432.pgtop")
        #expect(RecordingName.fileName(host: "../../etc/x", port: "5432") == "_._.._etc_x-5432.pgtop")
        #expect(RecordingName.fileName(host: "db1,db2", port: "5432,5433") == "db1_db2-5432.pgtop")
    }

    @Test func theStateDirectory() {
        #expect(RecordingName.directory(stateHome: "/srv/state", home: "/home/ann") == "/srv/state/pgtop")
        #expect(RecordingName.directory(stateHome: "relative", home: "/home/ann") == "/home/ann/.local/state/pgtop")
        #expect(RecordingName.directory(stateHome: nil, home: nil) == nil)
    }
}
