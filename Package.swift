// swift-tools-version:6.0
// Style Studio: neural style transfer (Gatys et al. 2015) in a terminal studio.
// Dependencies point one way: stylestudio -> StudioUI -> StudioCore -> StyleEngine, ImageIO -> C modules.
import PackageDescription

let package = Package(
    name: "StyleStudio",
    products: [
        .executable(name: "stylestudio", targets: ["stylestudio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries, one system-library target each (module map + tiny shim header).
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw",
                       pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CChafa", path: "Sources/CChafa",
                       pkgConfig: "chafa", providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS",
                       pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG",
                       pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG",
                       pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        // What Swift cannot call: libpng's and libjpeg's setjmp error handling.
        .target(name: "CImageCodecs", dependencies: ["CPNG", "CJPEG"]),

        // Plain -O: the engine's preconditions (shapes, sizes) hold in release builds too.
        .target(name: "StyleEngine", dependencies: ["COpenBLAS"]),
        .target(name: "ImageIO", dependencies: ["CImageCodecs"]),
        .target(name: "StudioCore", dependencies: ["StyleEngine", "ImageIO"]),
        .target(name: "StudioUI", dependencies: ["StudioCore", "ImageIO", "CNcursesw", "CChafa"]),
        .executableTarget(name: "stylestudio", dependencies: [
            "StudioUI", "StudioCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "StyleEngineTests", dependencies: ["StyleEngine", "ImageIO"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO"]),
        .testTarget(name: "StudioCoreTests", dependencies: ["StudioCore"]),
        .testTarget(name: "StudioUITests", dependencies: ["StudioUI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["StudioCore", "ImageIO"]),
    ]
)
