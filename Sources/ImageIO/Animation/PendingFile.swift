import SafeIO
import SystemPackage

/// An animation file written frame by frame, atomically (SafeIO's `PendingAtomicFile`), with ImageIO's errors:
/// readers never see a half-written file, and a failed or abandoned one leaves nothing behind.
final class PendingFile {
    let displayPath: String
    private let file: PendingAtomicFile

    init(path: String, displayPath: String) throws(ImageError) {
        self.displayPath = displayPath
        do {
            file = try PendingAtomicFile(FilePath(path))
        } catch {
            throw ImageError(path: displayPath, operation: .write, problem: AtomicFileWriter.problem(for: error.problem))
        }
    }

    /// The open file's descriptor (giflib writes to a duplicate of it).
    var descriptor: Int32 { file.descriptor.rawValue }

    /// Appends bytes at the current position.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ImageError) {
        do { try file.write(bytes) } catch { throw failure(error.problemDescription) }
    }

    /// Makes the file durable and puts it in place of the destination.
    func commit() throws(ImageError) {
        do { try file.commit() } catch { throw failure(error.problemDescription) }
    }

    /// Removes the temporary file; the destination is left as it was.
    func discard() { file.discard() }

    func failure(_ message: String) -> ImageError {
        ImageError(path: displayPath, operation: .write, problem: .ioFailure(message))
    }
}
