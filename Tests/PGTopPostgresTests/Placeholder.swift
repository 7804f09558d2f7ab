import Testing
@testable import PGTopPostgres
@Test func placeholder() { #expect(Bool(true)) }
