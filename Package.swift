// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "lethe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lethe", targets: ["lethe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMagic",
            pkgConfig: "libmagic",
            providers: [.apt(["libmagic-dev"])]
        ),
        .target(
            name: "LetheCore",
            dependencies: [
                "CMagic",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/common-passwords.txt")]
        ),
        .target(
            name: "LetheWeb",
            dependencies: [
                "LetheCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "lethe",
            dependencies: [
                "LetheCore",
                "LetheWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(
            name: "LetheTestSupport",
            dependencies: ["LetheCore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/LetheTestSupport"
        ),
        .testTarget(
            name: "LetheCoreTests",
            dependencies: ["LetheCore", "LetheTestSupport"]
        ),
        .testTarget(
            name: "LetheWebTests",
            dependencies: [
                "LetheWeb",
                "LetheTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // the reference the multipart scanner is checked against (MultipartScannerTests)
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
    ]
)
