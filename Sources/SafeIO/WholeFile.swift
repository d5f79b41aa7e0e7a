import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The project's one whole-file reader: regular files only (a FIFO is refused, never waited on), at most `limit`
/// bytes, every failure a `FileFailure` that names the file.
public enum WholeFile {
    public static func read(_ path: String, limit: Int) throws(FileFailure) -> [UInt8] {
        let filePath = FilePath(path)
        func failure(_ problem: FileFailure.Problem) -> FileFailure {
            FileFailure(path: path, operation: .read, problem: problem)
        }
        let descriptor: FileDescriptor
        do {
            // nonBlocking: opening a FIFO must not hang; it is refused below as not a regular file.
            descriptor = try FileDescriptor.open(filePath, .readOnly, options: [.closeOnExec, .nonBlocking])
        } catch Errno.notDirectory {
            throw failure(.fileNotFound)
        } catch {
            throw FileFailure(filePath, .read, error as? Errno ?? .ioError)
        }
        defer { _ = try? descriptor.close() }
        let status: Stat
        do { status = try descriptor.stat() } catch { throw FileFailure(filePath, .read, error) }
        if status.type == .directory { throw failure(.isDirectory) }
        guard status.type == .regular else { throw failure(.notRegularFile(OutputTarget.kindName(status.type))) }
        guard status.size <= limit else { throw failure(.tooLarge(bytes: Int(status.size), limit: limit)) }

        // Read to the end (the file may grow or shrink while it is read), never past the limit.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) }
            } catch {
                throw FileFailure(filePath, .read, error as? Errno ?? .ioError)
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { throw failure(.tooLarge(bytes: bytes.count + count, limit: limit)) }
            bytes += chunk[..<count]
        }
    }
}
