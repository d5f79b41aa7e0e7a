import Foundation
import Glibc
import Synchronization
import SystemPackage

/// Owns the terminal while the studio runs: curses, stderr redirection and signal handlers. `restore()` puts
/// everything back and is called on every way out: quit, a thrown error, SIGINT/SIGTERM/SIGHUP (restore, then
/// `_exit`, which also avoids OpenBLAS's exit-time deadlock) and fatal signals (restore, then the previous
/// handler or the default action runs).
@MainActor
public final class Terminal {
    let curses: Curses
    public let unicode: Bool
    public var colorDepth: ColorDepth { curses.colorDepth }
    public private(set) var mouseEnabled = false
    /// Where stderr goes while curses owns the screen.
    public let logPath: String?
    private var restored = false
    private var savedStderr: Int32 = -1
    /// Sequences written to turn xterm drag reporting off (and kitty images away) on restore.
    private var extraRestoreSequence: [UInt8] = []

    /// Starts curses: locale, stderr to `logPath` (or /dev/null), screen, mouse, signal handlers.
    public static func start(logPath: String?, profile: TerminalProfile = TerminalProfile.detect()) throws(TerminalError) -> Terminal {
        setlocale(LC_ALL, "")
        let unicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw TerminalError(message: "the studio needs a terminal (stdin and stdout must be a tty)")
        }
        return try Terminal(unicode: unicode, logPath: logPath, profile: profile)
    }

    private init(unicode: Bool, logPath: String?, profile: TerminalProfile) throws(TerminalError) {
        self.unicode = unicode
        var shellMode = termios()
        let haveShellMode = tcgetattr(STDIN_FILENO, &shellMode) == 0
        // Before curses starts: finding a SIGTSTP handler in place, curses leaves Ctrl-Z alone. Otherwise it
        // installs its own and ignores SIGTSTP during every screen update, so a Ctrl-Z is often lost.
        SignalRestoration.installSuspendHandler()
        curses = try Curses(unicode: unicode, profile: profile)
        // From here on nothing may write to the screen behind curses' back: stderr goes to a file.
        let target = logPath.flatMap { path -> Int32? in
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            return descriptor >= 0 ? descriptor : nil
        } ?? open("/dev/null", O_WRONLY | O_CLOEXEC)
        self.logPath = target >= 0 && logPath != nil ? logPath : nil
        if target >= 0 {
            savedStderr = dup(STDERR_FILENO)
            dup2(target, STDERR_FILENO)
            close(target)
        }
        mouseEnabled = curses.enableMouse()
        if mouseEnabled {
            // ncurses asks for clicks only (1000/1006); 1002 adds motion while a button is held (drags).
            writeRaw(Array("\u{1B}[?1002h".utf8))
            extraRestoreSequence += Array("\u{1B}[?1002l\u{1B}[?1006l\u{1B}[?1000l".utf8)
        }
        var programMode = termios()
        let haveProgramMode = tcgetattr(STDIN_FILENO, &programMode) == 0
        SignalRestoration.install(sequence: restoreSequence(), shellMode: haveShellMode ? shellMode : nil,
                                  savedStderr: savedStderr, programMode: haveProgramMode ? programMode : nil,
                                  resumeSequence: resumeSequence())
    }

    /// What a signal handler writes: mouse off, attributes reset, cursor shown, keypad off, alternate screen left.
    private func restoreSequence() -> [UInt8] {
        var bytes = extraRestoreSequence
        for name in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let value = Curses.capability(name) { bytes += value }
        }
        return bytes
    }

    /// What the studio writes when it continues after Ctrl-Z: alternate screen, keypad, cursor hidden, mouse.
    private func resumeSequence() -> [UInt8] {
        var bytes: [UInt8] = []
        for name in ["smcup", "smkx", "civis"] {
            if let value = Curses.capability(name) { bytes += value }
        }
        if mouseEnabled { bytes += Array("\u{1B}[?1000h\u{1B}[?1006h\u{1B}[?1002h".utf8) }
        return bytes
    }

    /// Whether the process was suspended (Ctrl-Z) and continued since the last call: the screen must be
    /// drawn again in full.
    public func consumeResumption() -> Bool {
        SignalRestoration.resumed.exchange(false, ordering: .relaxed)
    }

    /// Also deletes kitty images when restoring (used once a kitty image was shown).
    public func noteKittyImagesShown() {
        let delete = Array("\u{1B}_Ga=d\u{1B}\\".utf8)
        guard !extraRestoreSequence.starts(with: delete) else { return }
        extraRestoreSequence = delete + extraRestoreSequence
        SignalRestoration.updateSequence(restoreSequence())
    }

    /// Gives the terminal back: curses ended, mouse reporting off, stderr restored, default signal handling.
    /// Safe to call more than once.
    public func restore() {
        guard !restored else { return }
        restored = true
        SignalRestoration.uninstall()
        if !extraRestoreSequence.isEmpty { writeRaw(extraRestoreSequence) }
        curses.end()
        if savedStderr >= 0 {
            dup2(savedStderr, STDERR_FILENO)
            close(savedStderr)
            savedStderr = -1
        }
    }

    /// Writes bytes straight to the terminal (graphics protocols), after curses has refreshed.
    public func writeRaw(_ bytes: [UInt8]) {
        var rest = bytes[...]
        while !rest.isEmpty {
            do {  // FileDescriptor.write retries EINTR itself
                rest = rest.dropFirst(try rest.withUnsafeBytes { try FileDescriptor.standardOutput.write($0) })
            } catch Errno.resourceTemporarilyUnavailable {
                continue
            } catch {
                return
            }
        }
    }

    /// Cell size in pixels as the terminal reports it (for sixel/kitty images); 10×20 when it does not.
    public var cellPixelSize: (width: Int, height: Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_xpixel > 0, size.ws_ypixel > 0,
              size.ws_col > 0, size.ws_row > 0 else { return (10, 20) }
        return (Int(size.ws_xpixel) / Int(size.ws_col), Int(size.ws_ypixel) / Int(size.ws_row))
    }
}

/// The part of restoration a signal handler can do with async-signal-safe calls only: write the
/// prepared bytes, reset the tty mode, put stderr back. State lives in C-compatible globals prepared
/// before the handlers are installed.
enum SignalRestoration {
    nonisolated(unsafe) private static var sequence: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) private static var sequenceLength = 0
    nonisolated(unsafe) private static var shellMode: UnsafeMutablePointer<termios>?
    nonisolated(unsafe) private static var savedStderr: Int32 = -1
    nonisolated(unsafe) private static var previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) private static var programMode: UnsafeMutablePointer<termios>?
    nonisolated(unsafe) private static var resume: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) private static var resumeLength = 0
    /// Set by the Ctrl-Z handler once the process continues; the main loop then redraws everything.
    static let resumed = Atomic<Bool>(false)

    static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let fatal: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    @MainActor
    static func install(sequence bytes: [UInt8], shellMode mode: termios?, savedStderr descriptor: Int32,
                        programMode program: termios?, resumeSequence: [UInt8]) {
        updateSequence(bytes)
        if let program {
            let pointer = UnsafeMutablePointer<termios>.allocate(capacity: 1)
            pointer.initialize(to: program)
            programMode = pointer
        }
        let resumeBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(resumeSequence.count, 1))
        resumeBytes.initialize(from: resumeSequence, count: resumeSequence.count)
        resume = resumeBytes
        resumeLength = resumeSequence.count
        if let mode {
            let pointer = UnsafeMutablePointer<termios>.allocate(capacity: 1)
            pointer.initialize(to: mode)
            shellMode = pointer
        }
        savedStderr = descriptor
        for signal in terminating { set(signal, handler: handleTerminatingSignal) }
        for signal in fatal { set(signal, handler: handleFatalSignal) }
        // A parent may have left them blocked (inherited masks): make sure the handlers can run.
        var handled = sigset_t()
        sigemptyset(&handled)
        for signal in terminating + fatal { sigaddset(&handled, signal) }
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        installed = true
    }

    /// Ctrl-Z: give the terminal back, stop, and on `fg` take it again; the main loop redraws. (Curses'
    /// own handler would redraw from inside the signal, racing the main loop's output.) Until `install`
    /// has prepared the sequences, the handler only stops the process.
    @MainActor
    static func installSuspendHandler() {
        set(SIGTSTP, handler: handleSuspend)
        var suspend = sigset_t()
        sigemptyset(&suspend)
        sigaddset(&suspend, SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &suspend, nil)
    }

    @MainActor
    static func updateSequence(_ bytes: [UInt8]) {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        pointer.initialize(from: bytes, count: bytes.count)
        // The old buffer is leaked on purpose: a handler might be reading it right now.
        sequence = pointer
        sequenceLength = bytes.count
    }

    @MainActor
    static func uninstall() {
        guard installed else { return }
        installed = false
        for signal in terminating + fatal + [SIGTSTP] { sigaction(signal, previousActions + Int(signal), nil) }
    }

    /// Async-signal-safe: write(2), tcsetattr(3), kill(2) and an atomic store only.
    static func suspendFromSignalHandler() {
        if let sequence, sequenceLength > 0 { _ = write(STDOUT_FILENO, sequence, sequenceLength) }
        if let shellMode { tcsetattr(STDIN_FILENO, TCSAFLUSH, shellMode) }
        kill(getpid(), SIGSTOP)                     // stops here until SIGCONT (`fg`)
        if let programMode { tcsetattr(STDIN_FILENO, TCSAFLUSH, programMode) }
        if let resume, resumeLength > 0 { _ = write(STDOUT_FILENO, resume, resumeLength) }
        resumed.store(true, ordering: .relaxed)
    }

    private static func set(_ signal: Int32, handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(signal, &action, previousActions + Int(signal))
    }

    /// Async-signal-safe: write(2), tcsetattr(3), dup2(2) only.
    static func restoreFromSignalHandler() {
        if let sequence, sequenceLength > 0 { _ = write(STDOUT_FILENO, sequence, sequenceLength) }
        if let shellMode { tcsetattr(STDIN_FILENO, TCSAFLUSH, shellMode) }
        if savedStderr >= 0 { dup2(savedStderr, STDERR_FILENO) }
    }

    static func previousAction(for signal: Int32) -> UnsafeMutablePointer<sigaction> { previousActions + Int(signal) }
}

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT: restore and leave at once with 128 + signal. `_exit` skips exit handlers,
/// so an OpenBLAS call running on another thread cannot deadlock the exit.
private func handleTerminatingSignal(_ signal: Int32) {
    SignalRestoration.restoreFromSignalHandler()
    _exit(128 + signal)
}

/// Ctrl-Z (SIGTSTP): hand the terminal back, stop, take it again on continue.
private func handleSuspend(_ signal: Int32) {
    SignalRestoration.suspendFromSignalHandler()
}

/// Crashes: restore the terminal, then hand the signal to whoever handled it before (the Swift runtime's
/// backtracer, or the default action that ends the process).
private func handleFatalSignal(_ signal: Int32) {
    SignalRestoration.restoreFromSignalHandler()
    sigaction(signal, SignalRestoration.previousAction(for: signal), nil)
    raise(signal)
}
