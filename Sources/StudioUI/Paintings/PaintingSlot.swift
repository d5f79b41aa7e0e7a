import StudioCore

/// Where a style image opened in the picker goes: in place of one painting, or added to the blend.
public enum PaintingSlot: Hashable, Sendable {
    /// Replaces the painting at this index (the first when there is none yet).
    case replace(Int)
    /// Adds a painting (weight 1) to the blend.
    case add
}

extension FilePicker {
    /// The box's title: what Enter will do with the file.
    public var title: String {
        guard role == .style else { return "Open \(role.rawValue) image" }
        switch slot {
        case .replace(let index): return "Replace painting \(index + 1)  (Tab: add one instead)"
        case .add: return "Add a painting to the blend  (Tab: replace instead)"
        }
    }
}

extension StudioModel {
    /// The first painting (the side-by-side view and the header show it); setting it replaces the first.
    public var style: LoadedImage? {
        get { styles.first }
        set {
            if let newValue {
                if styles.isEmpty { styles = [newValue] } else { styles[0] = newValue }
            } else {
                styles = []
            }
        }
    }

    /// The painting row the focus is on, if any.
    public var focusedPainting: Int? {
        if case .painting(let index) = focusedItem, styles.indices.contains(index) { return index }
        return nil
    }
}
