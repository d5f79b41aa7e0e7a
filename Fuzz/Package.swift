// swift-tools-version:6.0
// libFuzzer harnesses for Style Studio's parsers, a package of its own so the product build never sees them.
// Build and run one with `scripts/fuzz.sh TARGET SECONDS` (it passes the sanitizer flags and the linker).
import PackageDescription

let package = Package(
    name: "StyleStudioFuzz",
    dependencies: [.package(name: "StyleStudio", path: "..")],
    targets: [
        // libFuzzer's LLVMFuzzerRunDriver, declared for Swift (each harness has its own @main).
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"]),
        .executableTarget(name: "fuzz-png", dependencies: ["FuzzSupport", .product(name: "StyleStudioKit", package: "StyleStudio")]),
        .executableTarget(name: "fuzz-jpeg", dependencies: ["FuzzSupport", .product(name: "StyleStudioKit", package: "StyleStudio")]),
        .executableTarget(name: "fuzz-safetensors", dependencies: ["FuzzSupport", .product(name: "StyleStudioKit", package: "StyleStudio")]),
        .executableTarget(name: "fuzz-preset", dependencies: ["FuzzSupport", .product(name: "StyleStudioKit", package: "StyleStudio")]),
        .executableTarget(name: "fuzz-layers", dependencies: ["FuzzSupport", .product(name: "StyleStudioKit", package: "StyleStudio")]),
    ]
)
