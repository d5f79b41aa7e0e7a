import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#endif

/// Runs libFuzzer with the process's arguments, calling `body` with every input. A crash, a trap or an
/// AddressSanitizer report is a finding; thrown errors are the expected answer to bad input.
public enum Fuzzer {
    nonisolated(unsafe) private static var body: (([UInt8]) -> Void)?

    public static func run(_ body: @escaping ([UInt8]) -> Void) -> Never {
        Self.body = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Fuzzer.body?(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        })
    }
}
