import Foundation

extension StudioRenderer {
    /// The final-render dialog: size, iterations per stage, file name, and the predicted stages.
    func drawFinalRender(_ dialog: FinalRenderDialog, model: StudioModel) {
        let height = 9 + dialog.estimateLines.count
        let box = drawBox(centered(width: 76, height: height, in: model), title: "Render final (coarse to fine)")
        let labelWidth = 22
        let fields: [(FinalRenderDialog.Field, String, String)] = [
            (.size, "size (long side, px)", dialog.sizeText + "   ←/→: " + dialog.sizeChoices.map(String.init).joined(separator: ", ")),
            (.iterations, "iterations per stage", dialog.iterationsText.isEmpty ? "default" : dialog.iterationsText),
            (.name, "file (PNG, or .jpg)", dialog.name),
        ]
        for (index, (field, label, value)) in fields.enumerated() {
            let row = box.row + index
            let focused = field == dialog.field
            curses.draw(label, row: row, column: box.column, width: labelWidth, style: TextStyle(.accent, bold: focused))
            curses.draw(TextFitting.padded(TextFitting.tail(value, width: box.width - labelWidth - 1, unicode: curses.unicode),
                                           width: box.width - labelWidth, unicode: curses.unicode),
                        row: row, column: box.column + labelWidth, width: box.width - labelWidth,
                        style: focused ? TextStyle(background: .selection) : TextStyle())
        }
        for (index, line) in dialog.estimateLines.enumerated() where 4 + index < box.height - 1 {
            curses.draw(line, row: box.row + 4 + index, column: box.column, width: box.width, style: TextStyle(.muted))
        }
        curses.draw("Enter: render   Tab: next field   Esc: cancel", row: box.bottom - 1, column: box.column,
                    width: box.width, style: TextStyle(.muted))
    }
}
