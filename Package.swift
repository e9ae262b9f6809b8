// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "spotlog",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "spotlog", targets: ["spotlog"]),
        .library(name: "SpotlogCore", targets: ["SpotlogCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"3.13.0"),
        .package(url: "https://github.com/apple/swift-log", "1.16.0"..<"1.17.0"),
    ],
    targets: [
        .systemLibrary(name: "SpotlogDeflate", providers: [.apt(["libdeflate-dev"])]),
        // libcurl through dlopen (see its header): its headers at build time, the library only
        // when a command first goes online.
        .target(name: "SpotlogCurl", linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "SpotlogCore",
            dependencies: [
                "SpotlogDeflate", "SpotlogCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [
                // The import's parse and write loops run millions of times, and run-time
                // exclusivity checks took about 8% of their time (measured with perf). Release
                // builds skip them; debug builds, which the tests use, keep them.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
            ]
        ),
        .target(name: "SpotlogCLI", dependencies: ["SpotlogCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "spotlog", dependencies: ["SpotlogCLI"],
            linkerSettings: [
                // The shipped (release) binary, linked by the toolchain's lld: relative relocations
                // packed (DT_RELR, glibc 2.36 or newer), only the symbols libraries need exported,
                // no symbol tables or debug info. 111 -> 65 MB, of which 34 MB are ICU's data (which
                // CoreFoundation needs); the loader's relocation work at each start is smaller too
                // (spotlog --version 1.65 -> 1.60 times a Foundation hello-world, farm-bench pairs).
                // Debug builds keep everything for debuggers and backtraces.
                .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                              "-Xlinker", "--no-export-dynamic", "-Xlinker", "--strip-all"],
                             .when(configuration: .release)),
            ]),
        .target(name: "SpotlogTestSupport", path: "Tests/SpotlogTestSupport"),
        .testTarget(
            name: "SpotlogCoreTests",
            dependencies: [
                "SpotlogCore", "SpotlogTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SpotlogCLITests",
            dependencies: ["SpotlogCLI", "SpotlogCore", "spotlog", "SpotlogTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
