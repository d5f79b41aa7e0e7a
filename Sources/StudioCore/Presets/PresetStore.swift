import Foundation

/// The presets on this machine: the curated ones shipped in the repository's `Presets/` folder (read-only) and the
/// user's own in `$XDG_CONFIG_HOME/stylestudio/presets`. A user preset with the name of a shipped one shadows it.
/// Files are `NAME.json`; names are compared in lower case.
public struct PresetStore: Sendable {
    /// `nil` when the shipped folder could not be found.
    public var shippedDirectory: URL?
    public var userDirectory: URL

    public init(shippedDirectory: URL?, userDirectory: URL) {
        self.shippedDirectory = shippedDirectory
        self.userDirectory = userDirectory
    }

    /// Every preset, shadowed shipped ones left out, sorted by name. A file that cannot be read is listed with its
    /// `problem` rather than failing the whole list.
    public func list() throws -> [PresetEntry] {
        let user = try files(in: userDirectory)
        let shipped = try shippedDirectory.map { try files(in: $0) } ?? [:]
        var entries: [PresetEntry] = []
        for (name, url) in user {
            entries.append(entry(name: name, url: url, origin: .user, shadowsShipped: shipped[name] != nil))
        }
        for (name, url) in shipped where user[name] == nil {
            entries.append(entry(name: name, url: url, origin: .shipped, shadowsShipped: false))
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// Loads a preset by name (user folder first, then shipped) or from a file path (anything containing '/',
    /// or an existing file ending in `.json`). Throws `PresetError`.
    public func load(nameOrPath: String) throws -> LoadedPreset {
        let looksLikePath = nameOrPath.contains("/")
            || (nameOrPath.lowercased().hasSuffix(".json") && PresetFiles.isRegularFile(nameOrPath))
        if !looksLikePath, Preset.isValidName(nameOrPath) {
            let name = nameOrPath.lowercased()
            if let url = try files(in: userDirectory)[name] { return try load(fileAt: url, origin: .user) }
            if let directory = shippedDirectory, let url = try files(in: directory)[name] {
                return try load(fileAt: url, origin: .shipped)
            }
            if !PresetFiles.isRegularFile(nameOrPath) {
                let known = Set((try? files(in: userDirectory).keys.sorted()) ?? [])
                    .union((try? shippedDirectory.map { try files(in: $0).keys.sorted() }) ?? [])
                    .sorted()
                let hint = known.isEmpty ? "there are no presets yet"
                    : "presets: \(known.joined(separator: ", "))"
                throw PresetError(.presetNotFound, message: "no preset named \"\(name)\" (\(hint))")
            }
        }
        guard !nameOrPath.isEmpty else {
            throw PresetError(.presetNotFound, message: "no preset name or file given")
        }
        return try load(fileAt: URL(fileURLWithPath: nameOrPath), origin: nil)
    }

    /// Loads a preset file anywhere. Throws `PresetError`.
    public func load(fileAt url: URL, origin: PresetOrigin? = nil) throws -> LoadedPreset {
        let path = url.path
        let bytes = try PresetFiles.readFile(path)
        let (preset, warnings) = try PresetCodec.decode(bytes, path: path, fileName: Self.fileStem(of: url))
        return LoadedPreset(preset: preset, warnings: warnings, url: url, origin: origin)
    }

    /// Throws what `save` would for this name: not a valid name, or (without `overwrite`) a user preset of that
    /// name exists or a shipped one would be shadowed. Writes nothing; lets a caller fail before long work.
    public func checkCanSave(name: String, overwrite: Bool) throws {
        guard Preset.isValidName(name) else {
            throw PresetError(.invalidName, field: "name",
                              message: "\"\(name)\" is not a preset name: names look like \(Preset.namePattern)")
        }
        guard !overwrite else { return }
        let name = name.lowercased()
        if let existing = try files(in: userDirectory)[name] {
            throw PresetError(.alreadyExists, path: existing.path,
                              message: "preset \"\(name)\" already exists; save with overwrite (--overwrite) to replace it")
        }
        if let directory = shippedDirectory, try files(in: directory)[name] != nil {
            throw PresetError(.alreadyExists, path: directory.appendingPathComponent(name + ".json").path,
                              message: "\"\(name)\" is a shipped preset; save with overwrite (--overwrite) to create your own "
                              + "\"\(name)\" that shadows it")
        }
    }

    /// Writes the preset to the user folder as `NAME.json` (name in lower case) and returns where. Refuses, unless
    /// `overwrite`, when a user preset of that name exists or a shipped one would be shadowed; refuses invalid names
    /// and values outside their ranges. The write is atomic: the old file stays intact until the new one is complete.
    @discardableResult
    public func save(_ preset: Preset, overwrite: Bool) throws -> URL {
        try checkCanSave(name: preset.name, overwrite: overwrite)
        if let problem = PresetRules.problems(in: preset).first {
            throw PresetError(.invalidValue, field: problem.field.key,
                              message: "preset \"\(preset.name)\": \"\(problem.field.key)\" \(problem.message)")
        }
        var preset = preset
        preset.name = preset.name.lowercased()
        let url = userDirectory.appendingPathComponent(preset.name + ".json")
        try PresetFiles.createDirectories(userDirectory.path)
        do {
            try PresetFiles.writeAtomically(Array(PresetCodec.encode(preset).utf8), to: url.path, overwrite: overwrite)
        } catch var error as PresetError where error.kind == .alreadyExists {
            error.message = "preset \"\(preset.name)\" already exists; save with overwrite (--overwrite) to replace it"
            throw error
        }
        return url
    }

    /// Deletes a user preset. Shipped presets are read-only; deleting a user preset that shadows a shipped one brings
    /// the shipped one back.
    public func delete(name: String) throws {
        guard Preset.isValidName(name) else {
            throw PresetError(.invalidName, field: "name",
                              message: "\"\(name)\" is not a preset name: names look like \(Preset.namePattern)")
        }
        let name = name.lowercased()
        if let url = try files(in: userDirectory)[name] {
            try PresetFiles.remove(url.path)
            return
        }
        if let directory = shippedDirectory, let url = try files(in: directory)[name] {
            throw PresetError(.readOnly, path: url.path,
                              message: "\"\(name)\" is shipped with Style Studio and is read-only; only your own presets "
                              + "(in \(userDirectory.path)) can be deleted")
        }
        throw PresetError(.presetNotFound, message: "no preset named \"\(name)\"")
    }

    // MARK: - Folders

    /// The presets of one folder by lower-case name; empty when the folder does not exist. Hidden files (such as
    /// an interrupted save's temporary file) and files whose name is not a preset name are skipped.
    private func files(in directory: URL) throws -> [String: URL] {
        guard let names = try PresetFiles.directoryEntries(directory.path) else { return [:] }
        var files: [String: URL] = [:]
        for fileName in names.sorted() where fileName.lowercased().hasSuffix(".json") {
            let url = directory.appendingPathComponent(fileName)
            let stem = Self.fileStem(of: url)
            guard Preset.isValidName(stem), PresetFiles.isRegularFile(url.path) else { continue }
            let name = stem.lowercased()
            // Two spellings of one name ("Mine.json", "mine.json"): the lower-case file wins.
            if files[name] == nil || stem == name { files[name] = url }
        }
        return files
    }

    private func entry(name: String, url: URL, origin: PresetOrigin, shadowsShipped: Bool) -> PresetEntry {
        do {
            let loaded = try load(fileAt: url, origin: origin)
            return PresetEntry(name: name, description: loaded.preset.description, origin: origin,
                               shadowsShipped: shadowsShipped, url: url)
        } catch {
            return PresetEntry(name: name, description: "", origin: origin, shadowsShipped: shadowsShipped, url: url,
                               problem: error as? PresetError ?? PresetError(.unreadable, path: url.path, message: "\(error)"))
        }
    }

    static func fileStem(of url: URL) -> String {
        let name = url.lastPathComponent
        guard name.lowercased().hasSuffix(".json") else { return name }
        return String(name.dropLast(5))
    }
}
