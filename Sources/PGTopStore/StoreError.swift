import CSQLite

/// What went wrong with a recording file, in one line a user can act on:
/// `disk full: /var/lib/pgtop/db1.pgtop: database or disk is full`,
/// `not a pgtop recording or damaged: notes.txt: file is not a database`,
/// `/tmp/r.pgtop was written by a newer pgtop (schema 3); this one reads schema 1`.
public struct StoreError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case diskFull
        /// Not SQLite, another application's database, or damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
        case notARecording
        case newerSchema(Int)
        /// Another pgtop is recording into the file.
        case inUse
        /// A symbolic link, a directory, a device, a fifo: never opened.
        case notARegularFile
        case cannotOpen
        case readOnly
        case busy
        case failed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// A SQLite result code (extended codes are folded to their primary code) in words, for `path`.
    static func sqlite(_ code: Int32, _ detail: String, path: String) -> StoreError {
        switch code & 0xff {
        case SQLITE_FULL: return StoreError(.diskFull, "disk full: \(path): \(detail)")
        case SQLITE_CORRUPT, SQLITE_NOTADB: return StoreError(.notARecording, "not a pgtop recording or damaged: \(path): \(detail)")
        case SQLITE_CANTOPEN: return StoreError(.cannotOpen, "cannot open \(path): \(detail)")
        case SQLITE_READONLY: return StoreError(.readOnly, "cannot write \(path): \(detail)")
        case SQLITE_BUSY, SQLITE_LOCKED: return StoreError(.busy, "\(path) is busy: \(detail)")
        case SQLITE_PERM, SQLITE_AUTH: return StoreError(.cannotOpen, "not allowed: \(path): \(detail)")
        default: return StoreError(.failed, "\(path): \(detail)")
        }
    }
}
