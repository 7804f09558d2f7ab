import Testing
@testable import PGTopCore

/// A refusal's advice is a command line that works as given, and every connection error says
/// what to check.
@Suite struct RefusalTests {
    let target = Refusal.Target(host: "/tmp/pgtop-cluster-Ab12", port: "41873", database: "app", user: "app")

    @Test func exhaustedSlotsSuggestTheSamePlaceAsTheSuperuser() {
        let text = Refusal.explain("/tmp/pgtop-cluster-Ab12/.s.PGSQL.41873: remaining connection slots are reserved for roles with the SUPERUSER attribute",
                                   target: target)
        #expect(text.contains("for example:  pgtop -h /tmp/pgtop-cluster-Ab12 -p 41873 -d app -U postgres"))
        let role = Refusal.explain("db1:5432: too many connections for role \"app\"", target: target)
        #expect(role.hasSuffix("connect as another role, e.g. pgtop -h /tmp/pgtop-cluster-Ab12 -p 41873 -d app -U postgres"))
        let db = Refusal.explain("db1:5432: too many connections for database \"app\"", target: target)
        #expect(db.contains("(pgtop -h /tmp/pgtop-cluster-Ab12 -p 41873 -d postgres -U app)"))
        // Nothing known of the place: the flags that change, alone.
        #expect(Refusal.explain("x: too many connections for role \"app\"").hasSuffix("e.g. pgtop -U postgres"))
    }

    @Test func valuesAreShellQuoted() {
        let odd = Refusal.Target(host: "/tmp/my dir", port: "5432", database: "it's", user: "app")
        #expect(odd.command(user: "postgres") == "pgtop -h '/tmp/my dir' -p 5432 -d 'it'\\''s' -U postgres")
        #expect(Refusal.shellQuoted("a$(id)") == "'a$(id)'")
        #expect(Refusal.shellQuoted("a\u{1B}[2Jb") == "$'a\\x1b[2Jb'")
        #expect(Refusal.shellQuoted("db1.example.com") == "db1.example.com")
    }

    @Test func everyConnectionErrorSaysWhatToCheck() {
        let socket = Refusal.explain("/tmp/nowhere/.s.PGSQL.5999: No such file or directory", target: Refusal.Target(host: "/tmp/nowhere", port: "5999"))
        #expect(socket == "cannot connect: /tmp/nowhere/.s.PGSQL.5999: No such file or directory "
                + "(is the server running on this host, port 5999? check -h (the socket directory) and -p)")
        #expect(Refusal.explain("127.0.0.1:1: Connection refused", target: Refusal.Target(host: "127.0.0.1", port: "1"))
                .contains("is the server running on 127.0.0.1, port 1, and accepting TCP connections"))
        #expect(Refusal.explain("could not translate host name \"nope\" to address: Name or service not known").contains("check the host name"))
        #expect(Refusal.explain("timed out after 15s connecting to db1, port 5432", target: Refusal.Target(host: "db1", port: "5432"))
                .contains("is db1 reachable on port 5432?"))
        #expect(Refusal.explain("invalid percent-encoded token: \"***\"").contains("check the connection string"))
        #expect(Refusal.explain("something new").hasSuffix("(check -h, -p, -U and -d)"))
        // Refusals the server explains keep their own advice.
        #expect(Refusal.explain("db1:5432: password authentication failed for user \"app\"").contains("PGPASSWORD or ~/.pgpass"))
    }
}
