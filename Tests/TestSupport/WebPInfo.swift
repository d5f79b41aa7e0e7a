/// An animated WebP as Debian's `webpinfo` (the webp package, which scripts/setup.sh installs) reads it: the
/// tests check the files the program writes with a decoder that is not the program's own.
public struct WebPInfo {
    /// webpinfo's whole report (for failure messages).
    public let report: String
    /// Whether webpinfo read the file without complaint.
    public let isValid: Bool
    /// Animation frames (ANMF chunks).
    public let frameCount: Int
    /// Each frame's duration in milliseconds, in order (as many as `frameCount` in a well-formed report).
    public let frameDurations: [Int]

    public init(path: String) {
        let result = StudioHarness.shell("webpinfo \(StudioHarness.quote(path))")
        report = result.output
        isValid = result.status == 0
        let lines = result.output.split(separator: "\n")
        frameCount = lines.filter { $0.contains("Chunk ANMF") }.count
        frameDurations = lines.filter { $0.contains("Duration:") }
            .compactMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) }
    }
}
