/// Keeps messages to one readable line whatever the user typed: control characters are escaped and very long
/// words (a 100 KB bad value, say) are cut to their start and their length.
public enum BoundedText {
    /// Longest word kept whole; longer ones keep `keptPrefix` characters and say how long they were.
    public static let longestWord = 160
    static let keptPrefix = 48

    public static func elided(_ text: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            if word.count > longestWord {
                result += word.prefix(keptPrefix) + "…[\(word.utf8.count) bytes]"
            } else {
                result += word
            }
            word = ""
        }
        for scalar in text.unicodeScalars {
            if scalar == " " {
                flush()
                result.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .control {
                word += scalar.escaped(asASCII: true)  // "\n", "\u{1B}": one line, no terminal escapes
            } else {
                word.unicodeScalars.append(scalar)
            }
        }
        flush()
        return result
    }
}
