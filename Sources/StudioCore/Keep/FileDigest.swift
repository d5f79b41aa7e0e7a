import CCrypto
import Foundation
import Synchronization

/// SHA-256 of a file or of bytes in memory, through OpenSSL's libcrypto (EVP, which uses the CPU's SHA extensions
/// where it has them). Files' results are cached per path, size and modification time, so a sweep hashes the 80 MB
/// weights once.
public enum FileDigest {
    private static let cache = Mutex<[String: String]>([:])

    /// Lower-case hex; throws a one-line error naming the file when it cannot be read.
    public static func sha256(path: String) throws -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = "\(path)\u{0}\(size)\u{0}\(modified)"
        if let known = cache.withLock({ $0[key] }) { return known }

        guard let file = fopen(path, "rb") else {
            throw DigestError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        let hex = try sha256(failure: { DigestError(path: path, reason: $0) }) { context in
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                if count > 0, buffer.withUnsafeBytes({ EVP_DigestUpdate(context, $0.baseAddress, count) }) != 1 {
                    throw DigestError(path: path, reason: "digest failed")
                }
                if count < buffer.count {
                    guard ferror(file) == 0 else { throw DigestError(path: path, reason: "read error") }
                    break
                }
            }
        }
        cache.withLock { $0[key] = hex }
        return hex
    }

    /// Lower-case hex SHA-256 of `buffers` one after the other; nil only if libcrypto fails (out of memory).
    public static func sha256(of buffers: [UnsafeRawBufferPointer]) -> String? {
        struct Failure: Error {}
        return try? sha256(failure: { _ in Failure() }) { context in
            for bytes in buffers where bytes.count > 0 {
                guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else { throw Failure() }
            }
        }
    }

    /// Runs `feed` with a fresh SHA-256 context to update, then returns the digest.
    private static func sha256(failure: (String) -> any Error, _ feed: (OpaquePointer) throws -> Void) throws -> String {
        guard let context = EVP_MD_CTX_new() else { throw failure("out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { throw failure("libcrypto has no SHA-256") }
        try feed(context)
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else { throw failure("digest failed") }
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}

public struct DigestError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot read '\(path)': \(reason)" }
}
