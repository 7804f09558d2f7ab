// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pgtop",
    products: [
        .executable(name: "pgtop", targets: ["pgtop"]),
        .executable(name: "pgtop-bench", targets: ["pgtop-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // TOML 1.0 (toml++ inside) for the config file.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries, seen only by the wrapper layers.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CNCursesShim", dependencies: ["CNCurses"]),

        // Pure Swift: model, sorting, filtering, keys, state machine, layout. No C imports.
        .target(name: "PGTopCore"),
        // libpq wrapper: connection, non-blocking polling, version-aware SQL, actions.
        .target(name: "PGTopPostgres", dependencies: ["PGTopCore", "CLibPQ"]),
        // ncurses wrapper: draw styled lines, read keys, resize and signals.
        .target(name: "PGTopTerminal", dependencies: ["PGTopCore", "CNCursesShim"]),
        // The config file: TOML read into the core's Settings, the layout written back (`S`).
        .target(name: "PGTopConfig", dependencies: ["PGTopCore", "TOMLKit"]),
        // SQLite wrapper and the recording (issue 14): Database, Statement, the schema, RecordingWriter/Reader.
        .target(name: "PGTopStore", dependencies: ["PGTopCore", "CSQLite"]),
        // A throwaway PostgreSQL cluster (initdb, start, stop, remove): --demo, tests, benchmark.
        .target(name: "PGTopCluster"),

        .executableTarget(
            name: "pgtop",
            dependencies: [
                "PGTopCore", "PGTopPostgres", "PGTopTerminal", "PGTopCluster", "PGTopConfig", "PGTopStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The benchmark: pgtop's refresh path and the real binary at N backends, the recorder and replay.
        .executableTarget(
            name: "pgtop-bench",
            dependencies: [
                "PGTopCore", "PGTopPostgres", "PGTopCluster", "PGTopStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Scripted recordings the tests replay (a test-only library, never in a product).
        .target(name: "PGTopFixtures", dependencies: ["PGTopCore", "PGTopStore"], path: "Tests/Fixtures"),

        .testTarget(name: "PGTopCoreTests", dependencies: ["PGTopCore"]),
        .testTarget(name: "PGTopConfigTests", dependencies: ["PGTopConfig", "PGTopCore"]),
        .testTarget(name: "PGTopTerminalTests", dependencies: ["PGTopTerminal", "PGTopCore"]),
        .testTarget(name: "PGTopPostgresTests", dependencies: ["PGTopPostgres", "PGTopCluster", "PGTopCore", "PGTopStore"]),
        .testTarget(name: "PGTopStoreTests", dependencies: ["PGTopStore", "PGTopCore", "PGTopFixtures"]),
        .testTarget(name: "EndToEndTests", dependencies: ["pgtop", "PGTopCluster", "PGTopPostgres", "PGTopCore", "PGTopStore", "PGTopFixtures"]),
    ]
)
