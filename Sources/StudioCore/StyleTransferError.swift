/// Failures of a style-transfer run, each one line for the user.
public enum StyleTransferError: Error, CustomStringConvertible, Equatable {
    case imageTooSmall(width: Int, height: Int)
    case noLayers
    case diverged(iteration: Int)
    case cannotWriteLog(String)
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .imageTooSmall(let width, let height):
            "the working image would be \(width)×\(height) px; VGG19 needs at least 16 px on each side (raise --size)"
        case .noLayers:
            "no content or style layer is selected: the objective would be empty"
        case .diverged(let iteration):
            "the optimizer diverged at iteration \(iteration) (the loss became NaN or infinite three times in a row); " +
                "try lower weights, a smaller learning rate or Adam"
        case .cannotWriteLog(let path):
            "cannot write the log file '\(path)'"
        case .invalidSetting(let text):
            text
        }
    }
}
