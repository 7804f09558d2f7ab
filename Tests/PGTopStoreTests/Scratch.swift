import Foundation

/// A directory for one test's files, removed when the test process ends.
enum Scratch {
    static func directory(_ name: String) -> String {
        _ = removeAtExit
        let dir = "/tmp/pgtop-store-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    private static let removeAtExit: Void = {
        atexit {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
            where name.hasPrefix("pgtop-store-test-\(getpid())-") {
                try? FileManager.default.removeItem(atPath: "/tmp/" + name)
            }
        }
    }()
}
