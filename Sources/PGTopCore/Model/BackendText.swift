/// The texts of one `Backend`, boxed so that copying a backend costs one reference count.
/// Only ever changed through `Backend`'s setters, which copy the box first unless that backend
/// is its only owner (copy on write): a box reachable from two values is never changed, which is
/// what makes sharing it between threads safe.
final class BackendText: @unchecked Sendable, Equatable {
    var database: String
    var user: String
    var client: String
    var application: String
    var waitEventType: String
    var waitEvent: String
    var blockedBy: [Int32]
    var backendType: String
    var query: String
    var lockMode: String
    var lockTarget: String

    init(database: String, user: String, client: String, application: String, waitEventType: String,
         waitEvent: String, blockedBy: [Int32], backendType: String, query: String, lockMode: String, lockTarget: String) {
        self.database = database
        self.user = user
        self.client = client
        self.application = application
        self.waitEventType = waitEventType
        self.waitEvent = waitEvent
        self.blockedBy = blockedBy
        self.backendType = backendType
        self.query = query
        self.lockMode = lockMode
        self.lockTarget = lockTarget
    }

    func copy() -> BackendText {
        BackendText(database: database, user: user, client: client, application: application, waitEventType: waitEventType,
                    waitEvent: waitEvent, blockedBy: blockedBy, backendType: backendType, query: query,
                    lockMode: lockMode, lockTarget: lockTarget)
    }

    static func == (a: BackendText, b: BackendText) -> Bool {
        a.database == b.database && a.user == b.user && a.client == b.client && a.application == b.application
            && a.waitEventType == b.waitEventType && a.waitEvent == b.waitEvent && a.blockedBy == b.blockedBy
            && a.backendType == b.backendType && a.query == b.query && a.lockMode == b.lockMode
            && a.lockTarget == b.lockTarget
    }
}
