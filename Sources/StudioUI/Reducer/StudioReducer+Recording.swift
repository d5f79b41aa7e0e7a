import StudioCore

extension StudioReducer {
    /// `t`: start a time-lapse recording, or stop the running one (the app writes the file and reports back).
    func toggleRecording(in model: inout StudioModel) -> [StudioEffect] {
        switch model.recording {
        case nil:
            model.recording = .starting
            return [.startRecording]
        case .starting:
            return []
        case .recording:
            model.message = StatusMessage("finishing the time-lapse...")
            return [.stopRecording]
        }
    }

    func reduceRecording(_ event: StudioEvent, in model: inout StudioModel) {
        switch event {
        case .recordingStarted(let path):
            model.recording = .recording(path: path)
            model.message = StatusMessage("recording a time-lapse to \(path.lastComponent) (t stops)")
        case .recordingFinished(let path, let frames):
            model.recording = nil
            model.message = StatusMessage("wrote \(path) (\(frames) frames)")
        case .recordingFailed(let message):
            model.recording = nil
            model.message = StatusMessage(message, isError: true)
        default: break
        }
    }
}
