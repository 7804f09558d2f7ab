import Testing
@testable import PGTopCore

/// No password in any message pgtop prints.
@Suite struct RedactionTests {
    @Test func aBadPercentEscapeDoesNotShowThePassword() {
        let uri = "postgresql://app:S3cr%zzet@db1:5432/app"
        #expect(Redaction.secrets(in: uri) == ["S3cr%zzet"])
        let said = "invalid percent-encoded token: \"S3cr%zzet\""
        #expect(Redaction.redact(said, secrets: Redaction.secrets(in: uri)) == "invalid percent-encoded token: \"***\"")
    }

    @Test func secretsOfEveryForm() {
        #expect(Redaction.secrets(in: "postgres://u:p%41ss@h/db") == ["p%41ss", "pAss"])
        #expect(Redaction.secrets(in: "postgresql:///db?host=/tmp&password=S3cret&user=u") == ["S3cret"])
        #expect(Redaction.secrets(in: "host=db1 password='it\\'s a secret' user=app") == ["it's a secret", "it\\'s a secret"])
        #expect(Redaction.secrets(in: "host=db1 password=plain") == ["plain"])
        #expect(Redaction.secrets(in: "host=db1 user=app").isEmpty)
        #expect(Redaction.secrets(in: "postgresql://u@h/db").isEmpty)
        #expect(Redaction.secrets(in: "app").isEmpty)
    }

    @Test func passwordShapesAreMaskedEvenUnknown() {
        #expect(Redaction.redact("conninfo: host=db1 password=S3cret user=app") == "conninfo: host=db1 password=*** user=app")
        #expect(Redaction.redact("conninfo: password='a b''c' host=x") == "conninfo: password=*** host=x")
        #expect(Redaction.redact("bad: postgresql://app:S3cret@db1/app") == "bad: postgresql://app:***@db1/app")
        #expect(Redaction.redact("bad: \"postgres://app:S3cret@db1:5432\"") == "bad: \"postgres://app:***@db1:5432\"")
        #expect(Redaction.redact("postgresql://db1?password=S3cret&user=a") == "postgresql://db1?password=***&user=a")
        // What is not a password stays.
        #expect(Redaction.redact("postgresql://app@db1:5432/app") == "postgresql://app@db1:5432/app")
        #expect(Redaction.redact("role \"app\" does not exist") == "role \"app\" does not exist")
        #expect(Redaction.redact("db1:5432: password authentication failed for user \"app\"")
                == "db1:5432: password authentication failed for user \"app\"")
    }

    @Test func aSecretInsideAnotherIsMaskedWhole() {
        #expect(Redaction.redact("x abcd y abc", secrets: ["abc", "abcd"]) == "x *** y ***")
    }
}
