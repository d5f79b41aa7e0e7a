#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C library opened when first needed (`dlopen`) rather than linked, and the functions looked up in it: for a
/// library whose settings must be in the environment before it loads (OpenBLAS) or that only some runs use (libgd).
/// A linked library loads, with everything it depends on, before `main` of every launch.
public struct SharedLibrary: @unchecked Sendable {  // a handle that is never closed
    private let handle: UnsafeMutableRawPointer

    /// The first of `names` that opens, with every symbol resolved now and none made global.
    public init(firstOf names: [String]) throws(SharedLibraryError) {
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            throw SharedLibraryError(names: names, reason: dlerror().map { String(cString: $0) } ?? "not found")
        }
        self.handle = handle
    }

    /// The function `name` as `Function` (a `@convention(c)` type matching its C declaration), nil when missing.
    public func function<Function>(_ name: String, as type: Function.Type = Function.self) -> Function? {
        dlsym(handle, name).map { unsafeBitCast($0, to: type) }
    }
}

/// None of a library's names could be opened.
public struct SharedLibraryError: Error, CustomStringConvertible {
    public let names: [String]
    public let reason: String
    public var description: String { "cannot open \(names.joined(separator: " or ")): \(reason)" }
}
