import StudioCore

/// A choice option's help text, "a (default; note) or b (note)", with the default read from the settings'
/// own defaults (`StyleSettings()`), so the text cannot drift from what a run does.
enum ChoiceHelp {
    static let defaults = StyleSettings()

    static func text<Choice>(_ prefix: String = "", default value: Choice, notes: [Choice: String] = [:]) -> String
    where Choice: CaseIterable & RawRepresentable & Hashable, Choice.RawValue == String {
        let parts = Choice.allCases.map { choice -> String in
            let remarks = (choice == value ? ["default"] : []) + [notes[choice]].compactMap { $0 }
            return remarks.isEmpty ? choice.rawValue : "\(choice.rawValue) (\(remarks.joined(separator: "; ")))"
        }
        let list = parts.count < 2 ? parts.joined() : parts.dropLast().joined(separator: ", ") + " or " + parts.last!
        return prefix + list + "."
    }
}
