import ImageIO
import StudioCore

/// Content or style.
public enum ImageRole: String, Hashable, Sendable {
    case content
    case style
}

/// The result kept with `b` for A/B comparison.
public struct KeptResult: Hashable, Sendable {
    public var image: RGBImage
    public var settings: StyleSettings
    public var iteration: Int
    public var losses: LossTerms?
    /// Counts keeps, so two kept images are told apart even at the same iteration.
    public var serial: Int
}

/// What the session last reported, without the image.
public struct RunStatus: Hashable, Sendable {
    public var iteration = 0
    public var losses: LossTerms?
    public var secondsPerIteration = 0.0
    public var state: SessionState = .idle
    /// The last state other than `.preparing`: what the session returns to after applying settings.
    public var settledState: SessionState = .idle
    public var settingsGeneration = 0
    /// Settings changes the session has refused so far (see `SessionSnapshot.rejectionCount`).
    public var rejectionCount = 0

    public init() {}
}

/// A preset as the browser lists it.
public struct PresetListing: Hashable, Sendable {
    public var name: String
    public var description: String
    /// Shipped presets are read-only: they cannot be deleted (saving under their name hides them).
    public var isShipped: Bool
    /// Why the file cannot be loaded, when it cannot.
    public var problem: String?

    public init(name: String, description: String, isShipped: Bool, problem: String? = nil) {
        self.name = name
        self.description = description
        self.isShipped = isShipped
        self.problem = problem
    }
}

/// The preset the settings came from, with its settings as loaded (to show `*modified`).
public struct ActivePreset: Hashable, Sendable {
    public var name: String
    public var description: String
    public var settings: StyleSettings

    public init(name: String, description: String, settings: StyleSettings) {
        self.name = name
        self.description = description
        self.settings = settings
    }
}

/// A one-line text field in a box.
public struct TextPrompt: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case saveResult(thenQuit: Bool)
        case savePreset
    }

    public var purpose: Purpose
    public var title: String
    public var text: String
}

/// A y/n question in a box.
public struct Confirmation: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case quitUnsaved
        case overwriteResult(path: String, thenQuit: Bool)
        case overwritePreset(name: String)
        case deletePreset(name: String)
    }

    public var purpose: Purpose
    public var question: String
}

/// The file picker's state.
public struct FilePicker: Hashable, Sendable {
    public var role: ImageRole
    public var directory: String
    public var entries: [DirectoryEntry] = []
    public var selection = 0
    /// A path being typed (empty: browsing).
    public var typed = ""
    /// Listing or loading problem, one line.
    public var error: String?
    /// Small preview of the highlighted file, once decoded.
    public var previewPath: String?
    public var preview: RGBImage?
    /// Size of the highlighted file itself (the preview is scaled down).
    public var previewOriginalSize: ImageSize?
    public var previewError: String?
    /// The file being read after Enter: the picker stays open (and keeps the keys) until it loads or fails.
    public var loading: String?
    /// For a style: replace one painting or add one to the blend.
    public var slot: PaintingSlot = .replace(0)

    public init(role: ImageRole, directory: String, slot: PaintingSlot = .replace(0)) {
        self.role = role
        self.directory = directory
        self.slot = slot
    }

    public var selectedEntry: DirectoryEntry? { entries.indices.contains(selection) ? entries[selection] : nil }

    public var selectedPath: String? {
        selectedEntry.map { FileListing.normalized(directory + "/" + $0.name) }
    }
}

/// Width and height in pixels.
public struct ImageSize: Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// The presets browser's state.
public struct PresetBrowser: Hashable, Sendable {
    public var selection = 0
    public init() {}
}

/// Boxes drawn over the studio; the last one gets the keys.
public enum Overlay: Hashable, Sendable {
    case help
    case prompt(TextPrompt)
    case confirm(Confirmation)
    case picker(FilePicker)
    case presets(PresetBrowser)
    case finalRender(FinalRenderDialog)
}

/// A line for the footer: an error until the next key, or information.
public struct StatusMessage: Hashable, Sendable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Which images the preview shows.
public enum PreviewArrangement: Hashable, Sendable {
    case result
    case sideBySide
}

/// Raw graphics the terminal can show instead of symbols.
public enum GraphicsProtocol: String, Hashable, Sendable {
    case sixel
    case kitty
}

/// Everything the studio shows and edits, as plain values. Changed only by `StudioReducer`.
public struct StudioModel: Sendable {
    public var controls: ControlValues
    /// Index into `ControlItem.all`.
    public var focus = 0
    /// Column of the layer table that has the focus.
    public var focusTerm: LayerTerm = .style
    public var controlsScroll = 0
    public var columns = 80
    public var rows = 24

    public var run = RunStatus()
    /// The live result (B).
    public var image: RGBImage?
    /// Bumped whenever a new live image arrives.
    public var imageVersion = 0
    /// `imageVersion` when the result was last saved (0: never).
    public var savedImageVersion = 0
    /// Losses since the settings last changed: the chart.
    public var history = LossHistory()

    public var kept: KeptResult?
    public var showingKept = false
    public var arrangement: PreviewArrangement = .result
    /// Protocol available in this terminal (detected at start), and whether the user switched it on.
    public var graphicsProtocol: GraphicsProtocol?
    public var graphicsEnabled = false

    public var content: LoadedImage?
    /// The style paintings, blended by `settings.objective.styleBlend` (one weight each; see `StylePaintings`).
    public var styles: [LoadedImage] = []

    public var overlays: [Overlay] = []
    public var message: StatusMessage?
    /// A time-lapse being recorded (`t`).
    public var recording: RecordingState?
    /// The preset the settings came from, with its settings as loaded (for `*modified`).
    public var activePreset: ActivePreset?
    public var presets: [PresetListing] = []
    /// Slider row being dragged with the mouse.
    public var dragging: ControlItem?
    /// Number for the next default result file name.
    public var nextResultNumber = 1
    /// `--iterations N`: the session stops after N (until space carries on past it).
    public var iterationLimit: Int?
    /// The final render running in the background, if any.
    public var finalRender: FinalRenderStatus?
    /// Iterations timed at 64 px in the session, once asked for (the final render's estimate fits the fixed
    /// part of an iteration with them, `IterationCost`); nil until they are in or when they could not be.
    public var iterationCalibration: IterationCost.Sample?
    public var iterationCalibrationRequested = false

    public init(settings: StyleSettings) {
        controls = ControlValues(settings: settings)
    }

    public var settings: StyleSettings { controls.settings }
    public var focusedItem: ControlItem { controlItems[min(max(focus, 0), controlItems.count - 1)] }
    /// The controls panel's rows: one per painting.
    public var controlItems: [ControlItem] { ControlItem.items(paintings: styles.count) }
    public var layout: StudioLayout? { StudioLayout.make(columns: columns, rows: rows) }
    public var topOverlay: Overlay? { overlays.last }

    /// Whether the live result changed since it was last saved (and there is one worth saving).
    public var hasUnsavedResult: Bool { image != nil && run.iteration > 0 && imageVersion != savedImageVersion }

    /// Whether the run stopped at `iterationLimit` (not by the user's `s`).
    public var iterationLimitReached: Bool {
        iterationLimit.map { run.state == .finished && run.iteration >= $0 } ?? false
    }

    /// Whether the settings differ from the active preset's.
    public var isModified: Bool { activePreset.map { $0.settings != controls.settings } ?? false }

    /// The image the preview shows as the result: the kept one (A) or the live one (B).
    public var displayedResult: RGBImage? { showingKept ? kept?.image ?? image : image }
}
