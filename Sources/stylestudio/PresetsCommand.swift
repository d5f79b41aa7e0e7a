import ArgumentParser
import Foundation
import StudioCore

/// `stylestudio presets list|show|save|delete`: the shipped presets and the user's own.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List, show, save and delete presets (named combinations of settings).",
        discussion: """
            Shipped presets come from the repository's Presets/ folder (or $STYLESTUDIO_PRESETS_DIR); your own live in \
            $XDG_CONFIG_HOME/stylestudio/presets (default ~/.config/stylestudio/presets) and hide shipped ones of the \
            same name. Presets/README.md describes the file format.
            """,
        subcommands: [List.self, Show.self, Save.self, Delete.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every preset: name, origin, description.")

        func run() throws {
            try PresetsCommand.reportingPresetErrors {
                let store = PresetStore.standard()
                let entries = try store.list()
                guard !entries.isEmpty else {
                    PresetsCommand.report("no presets found (shipped folder: \(store.shippedDirectory?.path ?? "not found"); "
                               + "yours: \(store.userDirectory.path))")
                    return
                }
                let rows = entries.map { entry -> [String] in
                    let origin = entry.shadowsShipped ? "user (shadows shipped)" : entry.origin.rawValue
                    let description = entry.problem == nil
                        ? entry.description.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                        : "(cannot be read: see `stylestudio presets show \(entry.name)`)"
                    return [entry.name, origin, description]
                }
                for line in PresetsCommand.alignedColumns([["NAME", "ORIGIN", "DESCRIPTION"]] + rows) { print(line) }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a preset's JSON (every setting, defaults filled in); warnings go to standard error.")

        @Argument(help: "A preset name, or the path of a preset file.")
        var preset: String

        func run() throws {
            try PresetsCommand.reportingPresetErrors {
                let loaded = try PresetStore.standard().load(nameOrPath: preset)
                PresetsCommand.printWarnings(loaded.warnings)
                print(PresetCodec.encode(loaded.preset), terminator: "")
            }
        }
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a preset of your own, copied from another preset or file, or from the default settings.",
            discussion: "To save the settings of a render, use `stylestudio render … --save-preset NAME`.")

        @Argument(help: "The new preset's name: letters, digits, '.', '_' and '-'.")
        var name: String

        @Option(help: "A one-line description (default: the source preset's).")
        var description: String?

        @Option(name: .customLong("from"), help: "Start from this preset name or preset file (default: the default settings).")
        var source: String?

        @Flag(help: "Replace an existing preset of yours with this name, or shadow a shipped one.")
        var overwrite = false

        func run() throws {
            try PresetsCommand.reportingPresetErrors {
                let store = PresetStore.standard()
                var preset = Preset(name: name)
                if let source {
                    let loaded = try store.load(nameOrPath: source)
                    PresetsCommand.printWarnings(loaded.warnings)
                    preset = loaded.preset
                    preset.name = name
                }
                if let description { preset.description = description }
                let url = try store.save(preset, overwrite: overwrite)
                print("saved preset \"\(name.lowercased())\" to \(url.path)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one of your presets (shipped ones are read-only).")

        @Argument(help: "The name of one of your presets.")
        var name: String

        func run() throws {
            try PresetsCommand.reportingPresetErrors {
                let store = PresetStore.standard()
                try store.delete(name: name)
                print("deleted preset \"\(name.lowercased())\" from \(store.userDirectory.path)")
            }
        }
    }
}

extension PresetsCommand {
    /// Runs `body`; a `PresetError` becomes its one-line message on standard error and exit status 1.
    fileprivate static func reportingPresetErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as PresetError {
            PresetsCommand.report(error.description)
            throw ExitCode.failure
        }
    }

    fileprivate static func printWarnings(_ warnings: [PresetWarning]) {
        for warning in warnings { PresetsCommand.report("warning: \(warning)") }
    }

    fileprivate static func report(_ message: String) {
        printError("stylestudio: \(message)")
    }

    /// Rows padded so columns line up; the last column is not padded.
    fileprivate static func alignedColumns(_ rows: [[String]]) -> [String] {
        let columnCount = rows.map(\.count).max() ?? 0
        let widths = (0..<columnCount).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                column == row.count - 1 ? text : text.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }
    }
}
