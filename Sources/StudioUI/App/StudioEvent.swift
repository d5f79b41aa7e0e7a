import ImageIO
import StudioCore

/// Something that happened: input, a session report, or the outcome of an effect.
public enum StudioEvent: Sendable {
    case key(Key)
    case mouse(MouseInput)
    case resized(columns: Int, rows: Int)
    case snapshot(SessionSnapshot)
    case imageLoaded(ImageRole, LoadedImage)
    /// A preset's paintings, all read (a failure is `imageLoadFailed(.style, …)`).
    case paintingsLoaded([LoadedImage])
    case imageLoadFailed(ImageRole, message: String)
    case filePreviewLoaded(path: String, image: RGBImage, originalSize: ImageSize)
    case filePreviewFailed(path: String, message: String)
    case resultSaved(path: String, imageVersion: Int, thenQuit: Bool)
    case resultSaveFailed(message: String)
    case presetsListed([PresetListing])
    case presetLoaded(Preset, warnings: [String])
    case presetSaved(Preset)
    case presetDeleted(name: String)
    case presetFailed(message: String)
    case finalRender(FinalRenderEvent)
    /// The session timed iterations at 64 px (nil: it could not), for the final render's estimate.
    case iterationCostCalibrated(IterationCost.Sample?)
    case recordingStarted(path: String)
    case recordingFinished(path: String, frames: Int)
    case recordingFailed(message: String)
}

/// Work the reducer asks for; `StudioApp` carries it out and reports back with events.
public enum StudioEffect: Hashable, Sendable {
    /// Hand settings to the session (throttled to one call every ~100 ms by the app).
    case apply(StyleSettings)
    case start
    case pause
    case resume
    case stop
    /// Give the session new images (it recomputes its targets): the photo and the paintings of the blend.
    case loadSession(content: RGBImage, styles: [RGBImage])
    /// Read an image file (in the background) for content or style.
    case loadImage(ImageRole, path: String)
    /// Read a preset's paintings (in the background), all or none.
    case loadPaintings(paths: [String])
    /// Decode a file for the picker's small preview.
    case previewFile(path: String)
    case saveResult(RGBImage, path: String, imageVersion: Int, thenQuit: Bool)
    case listPresets
    case loadPreset(name: String)
    case savePreset(Preset, overwrite: Bool)
    case deletePreset(name: String)
    /// Render coarse to fine in the background (see `FinalRenderJob`); cancel it.
    case startFinalRender(FinalRenderRequest)
    case cancelFinalRender
    /// Time a few iterations at 64 px in the session (`StyleSession.calibrateIterationCost`), once.
    case calibrateIterationCost
    /// Time-lapse recording (`StudioRecorder`).
    case startRecording
    case stopRecording
    case quit
}

/// What the reducer may ask of the file system (injected, so tests can use a temporary directory).
public struct StudioEnvironment: Sendable {
    public var currentDirectory: String
    public var homeDirectory: String
    public var fileExists: @Sendable (String) -> Bool
    public var listDirectory: @Sendable (String) throws -> [DirectoryEntry]

    public init(currentDirectory: String, homeDirectory: String,
                fileExists: @escaping @Sendable (String) -> Bool,
                listDirectory: @escaping @Sendable (String) throws -> [DirectoryEntry] = FileListing.entries(in:)) {
        self.currentDirectory = currentDirectory
        self.homeDirectory = homeDirectory
        self.fileExists = fileExists
        self.listDirectory = listDirectory
    }
}
