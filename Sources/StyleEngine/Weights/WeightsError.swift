import Foundation

/// Why a weights file could not be used. Each description is one line that names the file; for the
/// default location it also says which command writes a good file there.
public enum WeightsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file at that path.
    case missingFile(URL)
    /// The file exists but cannot be opened or read (permissions, a directory, an I/O error).
    case unreadableFile(URL, reason: String)
    /// Not a safetensors file: empty, too short, header length past the end, header not JSON.
    case invalidFile(URL, reason: String)
    /// A tensor entry of the header is unusable: dtype other than F32, bad shape or offsets,
    /// data outside the file or overlapping another tensor.
    case invalidTensor(URL, tensor: String, reason: String)
    /// A tensor VGG19 needs is absent (every one of the 16 conv layers must be there).
    case missingTensor(URL, tensor: String)
    /// A tensor has the wrong shape for its VGG19 layer.
    case wrongShape(URL, tensor: String, shape: [Int], expected: [Int])

    /// The file the error is about.
    public var url: URL {
        switch self {
        case .missingFile(let url), .unreadableFile(let url, _), .invalidFile(let url, _),
             .invalidTensor(let url, _, _), .missingTensor(let url, _), .wrongShape(let url, _, _, _):
            return url
        }
    }

    /// The command that (re)writes the default weights file.
    public static let fixCommand = "scripts/setup.sh (or python3 scripts/fetch-weights.py)"

    public var description: String {
        let path = url.path
        let problem: String
        switch self {
        case .missingFile:
            problem = "VGG19 weights not found: \(path) does not exist"
        case .unreadableFile(_, let reason):
            problem = "cannot read VGG19 weights \(path): \(reason)"
        case .invalidFile(_, let reason):
            problem = "\(path) is not a valid safetensors weights file: \(reason)"
        case .invalidTensor(_, let tensor, let reason):
            problem = "\(path): tensor \(tensor): \(reason)"
        case .missingTensor(_, let tensor):
            problem = "\(path) lacks tensor \(tensor) (VGG19 needs all 16 conv layers)"
        case .wrongShape(_, let tensor, let shape, let expected):
            problem = "\(path): tensor \(tensor) has shape \(shape), VGG19 expects \(expected)"
        }
        let line = problem.replacingOccurrences(of: "\n", with: " ")
        guard isAboutDefaultLocation else { return line }
        switch self {
        case .missingFile: return "\(line); run \(Self.fixCommand) to download them"
        case .unreadableFile: return "\(line); check its permissions or run \(Self.fixCommand) again"
        default: return "\(line); run \(Self.fixCommand) to replace it"
        }
    }

    private var isAboutDefaultLocation: Bool {
        url.standardizedFileURL.path == VGG19Weights.defaultLocation.standardizedFileURL.path
    }
}
