import StudioCore

/// What space, `s` and their footer hints mean in each run state. The session is briefly `.preparing` while it
/// applies settings; keys pressed then act on the state it returns to (`RunStatus.settledState`).
enum RunControl {
    /// The state that decides what keys do: the settled one while settings are being applied.
    static func effectiveState(_ run: RunStatus) -> SessionState {
        if case .preparing = run.state, run.settledState != .idle { return run.settledState }
        return run.state
    }

    /// Space: pause a run, resume a paused or stopped one (past the iteration limit too), start otherwise.
    static func spaceEffect(_ run: RunStatus) -> StudioEffect {
        switch effectiveState(run) {
        case .running: .pause
        case .paused, .finished: .resume
        case .idle, .failed: .start
        // Computing the first targets: the run starts by itself; a pause then applies to it.
        case .preparing: .pause
        }
    }

    static func spaceHint(_ model: StudioModel) -> String? {
        switch spaceEffect(model.run) {
        case .pause: "pause"
        case .resume: model.iterationLimitReached ? "go on" : "resume"
        default: "start"
        }
    }

    static func isStoppable(_ run: RunStatus) -> Bool {
        switch effectiveState(run) {
        case .running, .paused: true
        default: false
        }
    }
}
