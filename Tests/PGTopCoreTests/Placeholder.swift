import Testing
@testable import PGTopCore
@Test func placeholder() { #expect(Bool(true)) }
