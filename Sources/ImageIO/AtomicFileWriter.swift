#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SafeIO
import SystemPackage

/// Image writes through the project's one atomic writer (`SafeIO.AtomicFile`), as a C `FILE` for the codecs:
/// all or nothing, an existing destination untouched on failure, nothing left behind, devices and FIFOs refused,
/// a symbolic link written through to its target.
enum AtomicFileWriter {
    static func write(
        path: String, displayPath: String,
        _ body: (UnsafeMutablePointer<FILE>) throws(ImageError) -> Void
    ) throws(ImageError) {
        do {
            try AtomicFile.write(to: FilePath(path)) { descriptor in
                // The codec writes through its own FILE on a duplicate; the writer keeps (and syncs) the original.
                let duplicate = dup(descriptor.rawValue)
                guard duplicate >= 0, let file = fdopen(duplicate, "wb") else {
                    let number = errno
                    if duplicate >= 0 { close(duplicate) }
                    throw ImageError(path: displayPath, operation: .write, problem: .ioFailure(Errno(rawValue: number).description))
                }
                do throws(ImageError) {
                    try body(file)
                } catch {
                    fclose(file)
                    throw error
                }
                guard fflush(file) == 0 else {
                    let number = errno
                    fclose(file)
                    throw ImageError(path: displayPath, operation: .write, problem: .ioFailure(Errno(rawValue: number).description))
                }
                guard fclose(file) == 0 else {
                    throw ImageError(path: displayPath, operation: .write, problem: .ioFailure(Errno(rawValue: errno).description))
                }
            }
        } catch let error as ImageError {
            throw error
        } catch let failure as FileFailure {
            throw ImageError(path: displayPath, operation: .write, problem: problem(for: failure.problem))
        } catch {
            throw ImageError(path: displayPath, operation: .write, problem: .ioFailure("\(error)"))
        }
    }

    static func problem(for problem: FileFailure.Problem) -> ImageError.Problem {
        switch problem {
        case .fileNotFound, .folderNotFound: .directoryNotFound
        case .isDirectory: .isDirectory
        case .notRegularFile: .notRegularFile
        case .permissionDenied: .permissionDenied
        default: .ioFailure(problem.description)
        }
    }
}
