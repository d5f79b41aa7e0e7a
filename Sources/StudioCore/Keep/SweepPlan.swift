import Foundation

/// Every combination of alternative settings, as `render` argument lists: one cell per combination, named
/// and labelled by what differs. Axes keep the order given; the first varies slowest, so with two varying
/// axes the contact sheet's rows are the first one's values and its columns the second's.
public struct SweepPlan: Sendable {
    /// One render flag and its alternatives (a single value is shared by every cell).
    public struct Axis: Sendable, Equatable {
        public var flag: String
        public var values: [String]
        /// Image paths are labelled by file name.
        public var isPath: Bool

        public init(flag: String, values: [String], isPath: Bool = false) {
            self.flag = flag
            self.values = values
            self.isPath = isPath
        }

        func label(_ value: String) -> String {
            "\(flag.drop { $0 == "-" }) \(isPath ? (value as NSString).lastPathComponent : value)"
        }
    }

    public struct Cell: Sendable, Equatable {
        /// File stem inside the output folder, e.g. `03_style-weight-100_content-weight-5`.
        public var name: String
        /// `render` arguments: every axis's flag and value, then --output and --manifest.
        public var arguments: [String]
        /// One "flag value" line per axis that varies.
        public var labels: [String]
        public var outputPath: String
        public var manifestPath: String
        public var logPath: String
    }

    public let axes: [Axis]
    public let folder: String
    public let cells: [Cell]
    /// Contact sheet columns.
    public let columns: Int

    public static let contactSheetName = "contact-sheet.png"

    public init(axes: [Axis], folder: String) {
        self.axes = axes.filter { !$0.values.isEmpty }
        self.folder = folder
        let varying = self.axes.filter { $0.values.count > 1 }
        var combinations: [[(Axis, String)]] = [[]]
        for axis in self.axes {
            combinations = combinations.flatMap { partial in axis.values.map { partial + [(axis, $0)] } }
        }
        let digits = String(combinations.count).count
        cells = combinations.enumerated().map { index, choice in
            let labels = choice.filter { axis, _ in axis.values.count > 1 }.map { axis, value in axis.label(value) }
            let slug = Self.slug(labels.joined(separator: "_"))
            let number = String(repeating: "0", count: max(0, digits - String(index + 1).count)) + String(index + 1)
            let name = slug.isEmpty ? number : "\(number)_\(slug)"
            let base = (folder as NSString).appendingPathComponent(name)
            let arguments = choice.flatMap { axis, value in [axis.flag, value] }
                + ["--output", base + ".png", "--manifest", base + ".json"]
            return Cell(name: name, arguments: arguments, labels: labels, outputPath: base + ".png",
                        manifestPath: base + ".json", logPath: base + ".log")
        }
        if varying.count >= 2, let last = varying.last {
            columns = last.values.count
        } else {
            columns = max(1, Int(Double(cells.count).squareRoot().rounded(.up)))
        }
    }

    /// Letters, digits, '.', '-' and '_' kept; anything else becomes '-'; at most 80 characters.
    static func slug(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")
        let mapped = String(text.map { allowed.contains($0) ? $0 : "-" })
        return String(mapped.prefix(80))
    }
}
