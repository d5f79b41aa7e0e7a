/// The footer's key hints for a model and a width: which fit (most important first), in the key map's
/// order, and where each one is. The renderer draws them and the mouse handler hit-tests them from this
/// one layout.
struct FooterHints {
    struct Placed {
        var binding: KeyBinding
        var label: String
        var text: String
        /// First cell of the label, and the cell after the text.
        var column: Int
        var end: Int
    }

    var placed: [Placed]

    /// Hints starting at `column`, using at most `width` cells. `unicode: false` spells arrows in ASCII.
    init(model: StudioModel, column: Int, width: Int, unicode: Bool) {
        let candidates: [(index: Int, binding: KeyBinding, label: String, text: String, priority: Int)] =
            KeyMap.main.enumerated().compactMap { index, binding in
                guard let hint = binding.hint, binding.applies(model), let text = hint.text(model) else { return nil }
                let label = KeyMap.displayLabel(binding.label, unicode: unicode)
                return (index, binding, label, text, hint.priority)
            }
        var budget = width
        var shown = Set<Int>()
        for candidate in candidates.sorted(by: { $0.priority < $1.priority }) {
            let cells = TextFitting.width(of: candidate.label, unicode: unicode) + 1 + candidate.text.count + 2
            if cells <= budget {
                shown.insert(candidate.index)
                budget -= cells
            }
        }
        var next = column
        placed = candidates.filter { shown.contains($0.index) }.map { candidate in
            let end = next + TextFitting.width(of: candidate.label, unicode: unicode) + 1 + candidate.text.count
            defer { next = end + 2 }
            return Placed(binding: candidate.binding, label: candidate.label, text: candidate.text, column: next, end: end)
        }
    }

    /// The hints of the footer row `footer`, left of the preset name.
    init(model: StudioModel, footer: Rect, unicode: Bool) {
        let presetWidth = min(TextFitting.width(of: Self.presetText(model), unicode: unicode), footer.width / 2)
        let presetColumn = footer.right - presetWidth - 1
        self.init(model: model, column: footer.column + 1, width: presetColumn - footer.column - 2, unicode: unicode)
    }

    /// The footer's right end: the active preset, and whether the settings differ from it.
    static func presetText(_ model: StudioModel) -> String {
        (model.activePreset.map { "preset " + $0.name } ?? "no preset") + (model.isModified ? " *modified" : "")
    }

    /// The hint under `column`, if any.
    func hint(atColumn column: Int) -> Placed? {
        placed.first { column >= $0.column && column < $0.end }
    }
}
