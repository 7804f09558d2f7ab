import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// What the real binary prints on stderr when it cannot connect: never a password, always
    /// what to check.
    @Suite(.serialized, .timeLimit(.minutes(2))) struct ConnectionErrorTests {
        let cluster = Harness.cluster

        /// The report: `invalid percent-encoded token: "S3cr%zzet"` on stderr.
        @Test func aBadURIDoesNotPrintThePassword() throws {
            let uri = "postgresql://postgres:S3cr%zzet@/postgres?host=\(cluster.socketDirectory)&port=\(cluster.port)"
            let once = Harness.runBinary(["--config", "/dev/null", "--once", uri], timeout: 20)
            #expect(once.status == 2)
            #expect(once.output.contains("invalid percent-encoded token: \"***\""), "\(once.output)")
            #expect(!once.output.contains("S3cr"), "\(once.output)")
            #expect(once.output.contains("check the connection string"))

            // The same URI from a config file's profile.
            let config = Harness.temporaryPath("secret.toml")
            try "[profile.p]\nconninfo = \"\(uri)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
            let profile = Harness.runBinary(["--config", config, "--profile", "p", "--once"], timeout: 20)
            #expect(profile.status == 2)
            #expect(!profile.output.contains("S3cr"), "\(profile.output)")

            // A key=value conninfo with a password and an option libpq does not know.
            let keywords = Harness.runBinary(["--config", "/dev/null", "--once",
                                              "host=\(cluster.socketDirectory) password='S3cr et' bogus=1"], timeout: 20)
            #expect(keywords.status == 2 && keywords.output.contains("invalid connection option \"bogus\""), "\(keywords.output)")
            #expect(!keywords.output.contains("S3cr"))
        }

        /// The socket error that said nothing: now it says what to check.
        @Test func aMissingSocketSaysWhatToCheck() throws {
            let r = Harness.runBinary(["--config", "/dev/null", "--once", "-h", cluster.socketDirectory, "-p", "1"], timeout: 20)
            #expect(r.status == 2)
            #expect(r.output.contains("/.s.PGSQL.1: No such file or directory"), "\(r.output)")
            #expect(r.output.contains("is the server running on this host, port 1? check -h (the socket directory) and -p"), "\(r.output)")
            let tcp = Harness.runBinary(["--config", "/dev/null", "--once", "-h", "127.0.0.1", "-p", "1"], timeout: 20)
            #expect(tcp.output.contains("127.0.0.1:1: Connection refused (is the server running on 127.0.0.1, port 1"), "\(tcp.output)")
        }
    }
}
