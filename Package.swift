// swift-tools-version:6.0
// Style Studio: neural style transfer (Gatys et al. 2015) in a terminal studio.
// Dependencies point one way: stylestudio -> StudioUI -> StudioCore -> StyleEngine, ImageIO -> C modules.
import Foundation
import PackageDescription

/// The engine's own kernels (the Winograd transforms, ReLU, pooling, the losses) are built for the widest vectors
/// the machine that builds them has: AVX-512 (Intel since Skylake-SP, AMD since Zen 4), else AVX2 + FMA, as every
/// x86-64 CPU since Intel Haswell (2013) and AMD Zen (2017) has. Swift's default x86-64 target is SSE2, four floats
/// an instruction, and the F(4×4) transforms then take 29% of an iteration at 256 px; the engine's `Vector` is 16
/// floats, one AVX-512 register or two AVX2 ones. OpenBLAS picks its own kernels at run time. Users build on the
/// machine that runs the studio (scripts/setup.sh); a build folder carried to a machine without those
/// instructions would stop with an illegal instruction (delete .build there).
let engineSettings: [SwiftSetting] = {
    #if os(Linux) && arch(x86_64)
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    let avx2 = ["avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "movbe", "popcnt"]
    let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
    guard avx2.allSatisfy(flags.contains) else { return [] }
    guard avx512.allSatisfy(flags.contains) else { return [.unsafeFlags(["-target-cpu", "haswell"]), .define("WIDE_VECTORS")] }
    return [.unsafeFlags(["-target-cpu", "skylake-avx512"]), .define("WIDE_VECTORS"), .define("AVX512_VECTORS")]
    #else
    return []
    #endif
}()

let package = Package(
    name: "StyleStudio",
    products: [
        .executable(name: "stylestudio", targets: ["stylestudio"]),
        // The parsers and file plumbing, for the libFuzzer harnesses in Fuzz/ (a package of their own).
        .library(name: "StyleStudioKit", targets: ["SafeIO", "ImageIO", "StyleEngine", "StudioCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // C libraries, one system-library target each (module map + tiny shim header).
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw",
                       pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CChafa", path: "Sources/CChafa",
                       pkgConfig: "chafa", providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),
        // OpenBLAS: headers only, opened with dlopen at the first product (BLAS), after the program has set the
        // variables it reads when it loads.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG",
                       pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG",
                       pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        // Animations (time-lapses), labels on contact sheets, and sha256 for run manifests.
        .systemLibrary(name: "CWebP", path: "Sources/CWebP",
                       pkgConfig: "libwebpmux", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CGIF", path: "Sources/CGIF",
                       pkgConfig: "libgif", providers: [.apt(["libgif-dev"])]),
        .systemLibrary(name: "CImageQuant", path: "Sources/CImageQuant",
                       pkgConfig: "imagequant", providers: [.apt(["libimagequant-dev"])]),
        // libgd: headers only, opened with dlopen when a contact sheet draws its labels (LabelFont).
        .systemLibrary(name: "CGD", path: "Sources/CGD", providers: [.apt(["libgd-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto",
                       pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // glibc's memory calls Swift's Glibc module does not export (mallopt, malloc_trim, mremap).
        .systemLibrary(name: "CGlibcMemory", path: "Sources/CGlibcMemory"),
        // What Swift cannot call: libpng's and libjpeg's setjmp error handling.
        .target(name: "CImageCodecs", dependencies: ["CPNG", "CJPEG"]),

        // Plain -O: the engine's preconditions (shapes, sizes) hold in release builds too. AVX2 where the host has it.
        .target(name: "StyleEngine", dependencies: ["COpenBLAS", "SafeIO", "CGlibcMemory"], swiftSettings: engineSettings),
        // Atomic writes, output checks, bounded reads, best-effort stderr: the file plumbing every module uses.
        .target(name: "SafeIO", dependencies: [.product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "ImageIO", dependencies: ["CImageCodecs", "SafeIO", "CWebP", "CGIF", "CImageQuant", "CGD", .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "StudioCore", dependencies: ["StyleEngine", "ImageIO", "SafeIO", "CCrypto",
                                                   .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "StudioUI", dependencies: ["StudioCore", "StyleEngine", "ImageIO", "SafeIO", "CNcursesw", "CChafa",
                                                 .product(name: "SystemPackage", package: "swift-system")]),
        .executableTarget(name: "stylestudio", dependencies: [
            "StudioUI", "StudioCore", "StyleEngine", "SafeIO",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // What the test targets share (the studio driven in tmux, temporary folders, image fixtures); only test
        // targets depend on it.
        .target(name: "TestSupport", dependencies: ["ImageIO", "StyleEngine"], path: "Tests/TestSupport"),
        .testTarget(name: "StyleEngineTests", dependencies: ["StyleEngine", "ImageIO", "TestSupport"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "StyleEngine", "TestSupport"]),
        .testTarget(name: "SafeIOTests", dependencies: ["SafeIO"]),
        .testTarget(name: "StudioCoreTests", dependencies: ["StudioCore", "StyleEngine", "TestSupport"]),
        .testTarget(name: "StudioUITests", dependencies: ["StudioUI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["StudioCore", "StyleEngine", "ImageIO", "SafeIO", "TestSupport"]),
    ]
)
