import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress and messages on stderr, best effort: a closed, full or broken stderr never stops a run.
/// (`FileHandle.write` traps on EPIPE, EBADF and ENOSPC; a write(2) that fails is simply dropped here.)
public enum StandardError {
    /// Call first thing: a reader that goes away (`| head`) then shows up as EPIPE on the next write instead of
    /// killing the process with SIGPIPE before it has written its result.
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes `line` and a newline, with control characters escaped and very long words elided.
    public static func writeLine(_ line: String) {
        write(BoundedText.elided(line) + "\n")
    }

    /// Writes `text` as is; errors (EBADF, EPIPE, ENOSPC, EIO …) drop the rest of it.
    public static func write(_ text: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array(text.utf8))
    }
}
