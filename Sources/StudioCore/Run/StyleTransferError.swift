/// Failures of a style-transfer run, each one line for the user.
public enum StyleTransferError: Error, CustomStringConvertible, Equatable {
    case imageTooSmall(width: Int, height: Int)
    case noLayers
    case diverged(iteration: Int)
    case cannotWriteLog(String, String)
    case invalidSetting(String)
    case notEnoughMemory(neededBytes: Int, availableBytes: Int, size: Int)

    public var description: String {
        switch self {
        case .imageTooSmall(let width, let height):
            "the working image would be \(width)×\(height) px; VGG19 needs at least 16 px on each side (use a larger size)"
        case .noLayers:
            "no content or style layer is selected: the objective would be empty"
        case .diverged(let iteration):
            "the optimizer diverged at iteration \(iteration) (the loss became NaN or infinite three times in a row); " +
                "try lower weights, a smaller learning rate or Adam"
        case .cannotWriteLog(let path, let reason):
            "cannot write the log file '\(path)': \(reason)"
        case .invalidSetting(let text):
            text
        case .notEnoughMemory(let needed, let available, let size):
            "size \(size) px needs about \(needed >> 20) MB and only \(available >> 20) MB are available: choose a smaller size " +
                "(or a smaller L-BFGS history)"
        }
    }
}
