import Foundation
import ImageIO
import StudioCore

/// The "render final" dialog (`f`): output size, iterations per stage and file name, with the predicted
/// memory and time of each stage. The render continues from the live image as its coarsest stage.
public struct FinalRenderDialog: Hashable, Sendable {
    public enum Field: Int, Hashable, Sendable, CaseIterable {
        case size, iterations, name
    }

    /// Long sides offered by ← →: 1024, 2048 and the photo's own.
    public var sizeChoices: [Int]
    public var sizeText: String
    /// Empty: the schedule's default budgets.
    public var iterationsText = ""
    public var name: String
    public var field: Field = .size
    /// The predicted stages (or what is wrong with the fields), refreshed on every change.
    public var estimateLines: [String] = []

    public init(sizeChoices: [Int], name: String) {
        self.sizeChoices = sizeChoices
        sizeText = String(sizeChoices.first ?? 1024)
        self.name = name
    }

    /// The text of the focused field.
    var focusedText: String {
        get {
            switch field {
            case .size: sizeText
            case .iterations: iterationsText
            case .name: name
            }
        }
        set {
            switch field {
            case .size: sizeText = newValue
            case .iterations: iterationsText = newValue
            case .name: name = newValue
            }
        }
    }
}

/// What the studio asks the background render to do.
public struct FinalRenderRequest: Hashable, Sendable {
    public var content: RGBImage
    /// The paintings, blended by `settings.objective.styleBlend` (the first sizes the memory estimate).
    public var styles: [RGBImage]
    public var style: RGBImage { styles[0] }
    public var settings: StyleSettings
    /// The live image: the coarsest stage, already done.
    public var liveImage: RGBImage
    public var schedule: RenderSchedule
    public var path: String
}

/// A running final render as the studio shows it: its stage, iteration, time left and preview.
public struct FinalRenderStatus: Hashable, Sendable {
    public var path: String
    public var stage = 0
    public var stageCount: Int
    public var width = 0
    public var height = 0
    public var iteration = 0
    public var iterations = 0
    public var remaining: Double?
    /// The render's current image, scaled down for the preview.
    public var preview: RGBImage?
    /// Whether the live run was running when the render started (it resumes afterwards).
    public var resumeLive: Bool

    /// One line for the footer.
    public var line: String {
        var text = "final render → \(path.lastComponent): "
        if stage == 0 {
            text += "planning"
        } else {
            text += "stage \(stage)/\(stageCount) \(width)×\(height) · it \(iteration)/\(iterations)"
            if let remaining { text += " · ETA " + RenderEstimate.duration(remaining) }
        }
        return text + " · f cancels"
    }
}

/// One report of the background render.
public struct FinalRenderProgress: Hashable, Sendable {
    public var stage: Int
    public var stageCount: Int
    public var width: Int
    public var height: Int
    public var iteration: Int
    public var iterations: Int
    public var remaining: Double
    public var preview: RGBImage?
}
