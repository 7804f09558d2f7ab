/// What a recording keeps once per backend life: the fields that cannot change while the
/// backend lives (its application can: a span records it when it differs, `RecordedSpan`).
///
///     RecordedSession(backend)   // pid 4211, started 20:30:00.123456, app@shop from 10.0.0.5
public struct RecordedSession: Sendable, Equatable {
    public var id: BackendID
    public var user: String
    public var database: String
    /// The application name when the session was first seen.
    public var application: String
    public var client: String
    public var backendType: String

    public init(id: BackendID, user: String, database: String, application: String, client: String, backendType: String) {
        self.id = id
        self.user = user
        self.database = database
        self.application = application
        self.client = client
        self.backendType = backendType
    }

    public init(_ b: Backend) {
        self.init(id: b.id, user: b.user, database: b.database, application: b.application, client: b.client,
                  backendType: b.backendType)
    }
}
