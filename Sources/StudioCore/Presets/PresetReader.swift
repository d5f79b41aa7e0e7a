import StyleEngine

/// Reads one preset file (format 1 or 2): checks syntax, types and ranges, and collects warnings.
/// Every error names the file, the line and column, and the field. The syntax is `JSONScanner`'s (it says why it is
/// written by hand); the fields are read by one table, `rules`: each field, and how its value is read and checked.
/// Ranges and defaults are `SettingTable`'s.
struct PresetReader {
    private let bytes: [UInt8]
    private let path: String?
    private(set) var warnings: [PresetWarning] = []

    init(bytes: [UInt8], path: String?) {
        self.bytes = bytes
        self.path = path
    }

    /// Reads one field's value (never `null`, which means "the default") into the preset.
    private typealias FieldRule = (field: PresetField, read: @Sendable (inout PresetReader, JSONNode, inout Preset) throws -> Void)

    /// Every field but `format` and `name` (read first and last), in reading order: the optimizer before its
    /// learning rate, whose range and default depend on it.
    private static let rules: [FieldRule] = [
        (.contentWeight, { $2.settings.objective.contentWeight = try $0.number($1, .contentWeight, in: SettingTable.contentWeight) }),
        (.styleWeight, { $2.settings.objective.styleWeight = try $0.number($1, .styleWeight, in: SettingTable.styleWeight) }),
        (.totalVariationWeight, {
            $2.settings.objective.totalVariationWeight = try $0.number($1, .totalVariationWeight, in: SettingTable.totalVariationWeight)
        }),
        (.contentLayers, { $2.settings.objective.contentLayers = try $0.layers($1, .contentLayers) }),
        (.styleLayers, { $2.settings.objective.styleLayers = try $0.layers($1, .styleLayers) }),
        (.pooling, { $2.settings.objective.pooling = try $0.choice($1, .pooling, [("max", .max), ("avg", .average)],
                                                                  aliases: ["average": .average], expected: "\"max\" or \"avg\"") }),
        (.styleLoss, { $2.settings.objective.styleLoss = try $0.choice($1, .styleLoss, StyleLossKind.allCases.map { ($0.rawValue, $0) }) }),
        (.styleBlend, { $2.settings.objective.styleBlend = try $0.styleBlend($1) }),
        (.size, { $2.settings.size = try $0.integer($1, .size, in: SettingTable.size) }),
        (.initialization, { $2.settings.initialization = try $0.initialization($1) }),
        (.seed, { $2.settings.seed = try $0.seed($1) }),
        (.color, { $2.settings.color = try $0.choice($1, .color, ColorMode.allCases.map { ($0.rawValue, $0) }) }),
        (.optimizer, { reader, node, preset in
            let kind = try reader.choice(node, .optimizer, [("lbfgs", OptimizerSettings.Kind.lbfgs), ("adam", .adam)],
                                         aliases: ["l-bfgs": .lbfgs], expected: "\"lbfgs\" or \"adam\"")
            preset.settings.optimizer = OptimizerSettings(kind: kind)  // with that optimizer's default learning rate
        }),
        (.historySize, { $2.settings.optimizer.historySize = try $0.integer($1, .historySize, in: SettingTable.historySize) }),
        (.learningRate, { reader, node, preset in
            let setting = OptimizerSettings.learningRateSetting(for: preset.settings.optimizer.kind)
            preset.settings.optimizer.learningRate = try reader.number(node, .learningRate, in: setting)
        }),
        (.description, { reader, node, preset in
            preset.description = try reader.string(node, .description)
            if preset.description.contains(where: \.isNewline) {
                reader.warn(at: node.offset, field: PresetField.description.key,
                            "\"description\" should be one line; lists show only its first line")
            }
        }),
        (.contentImage, { $2.contentPath = try $0.path($1, .contentImage) }),
        (.styleImage, { $2.stylePath = try $0.path($1, .styleImage) }),
        (.styleImages, { reader, node, preset in
            if preset.stylePath != nil {
                throw reader.failure(.invalidValue, at: node.offset, field: PresetField.styleImages.key,
                                     "give either \"style_image\" or \"style_images\", not both")
            }
            guard case .array(let items) = node.value else {
                throw reader.failure(.invalidValue, at: node.offset, field: PresetField.styleImages.key,
                                     "\"style_images\" must be a list of image paths, found \(node.value.foundDescription)")
            }
            preset.stylePaths = try items.map { try reader.path($0, .styleImages) }
        }),
    ]

    /// `fileName` is the file's name without `.json`: it names the preset when it is a valid name.
    mutating func read(fileName: String?) throws -> Preset {
        let root = try parse()
        guard case .object(let members) = root.value else {
            throw failure(.invalidValue, at: root.offset, field: nil,
                          "a preset file holds one JSON object ({ \"format\": 1, … }), found \(root.value.kindDescription)")
        }
        var fields: [String: JSONMember] = [:]
        for member in members {
            if let earlier = fields[member.key] {
                throw failure(.invalidValue, at: member.keyOffset, field: member.key,
                              "\"\(member.key)\" appears twice (first at line \(position(earlier.keyOffset).line))")
            }
            fields[member.key] = member
        }
        // The version first: a newer file may use fields this version does not know.
        try readFormat(fields[PresetField.format.key], objectOffset: root.offset)
        for member in members where PresetField(rawValue: member.key) == nil {
            warn(at: member.keyOffset, field: member.key, unknownFieldMessage(member.key, known: PresetField.allCases.map(\.key)))
        }
        func node(_ field: PresetField) -> JSONNode? {
            guard let node = fields[field.key]?.value else { return nil }
            if case .null = node.value { return nil }  // null means "use the default"
            return node
        }

        var preset = Preset(name: "")
        for rule in Self.rules {
            if let node = node(rule.field) { try rule.read(&self, node, &preset) }
        }
        if preset.settings.objective.deepestLayer == nil {
            throw failure(.invalidValue, at: (node(.styleLayers) ?? node(.contentLayers))?.offset ?? root.offset,
                          field: PresetField.styleLayers.key, PresetRules.noLayersProblem)
        }
        preset.name = try name(node(.name), fileName: fileName)
        return preset
    }

    /// One of the named choices (case-insensitive), e.g. `"gram"` or `"wasserstein"`; `aliases` are accepted too.
    private func choice<Value>(_ node: JSONNode, _ field: PresetField, _ choices: [(String, Value)],
                               aliases: [String: Value] = [:], expected: String? = nil) throws -> Value {
        let expected = expected ?? "one of " + choices.map { "\"\($0.0)\"" }.joined(separator: ", ")
        let text = try string(node, field, expected: expected).lowercased()
        if let match = choices.first(where: { $0.0 == text })?.1 ?? aliases[text] { return match }
        throw failure(.invalidValue, at: node.offset, field: field.key, "\"\(field.key)\" must be \(expected) (found \"\(text)\")")
    }

    /// The style paintings' blend weights: a list of numbers, 0 … 1e12, not all 0.
    private func styleBlend(_ node: JSONNode) throws -> [Double] {
        guard case .array(let items) = node.value else {
            throw failure(.invalidValue, at: node.offset, field: PresetField.styleBlend.key,
                          "\"style_blend\" must be a list of weights, one per style image, found \(node.value.foundDescription)")
        }
        let weights = try items.map { try number($0, .styleBlend, in: SettingTable.styleBlendWeight) }
        if !weights.isEmpty, weights.allSatisfy({ $0 == 0 }) {
            throw failure(.invalidValue, at: node.offset, field: PresetField.styleBlend.key,
                          "\"style_blend\" weights must not all be 0")
        }
        return weights
    }

    // MARK: - Syntax

    private func parse() throws -> JSONNode {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else {
            throw PresetError(.truncated, path: path, message: "file is empty (truncated?): a preset is a JSON object "
                              + "such as { \"format\": 1, \"style_weight\": 100 }")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            // Cut off inside a multi-byte character: the end is the only flaw.
            let leadIndex = bytes.lastIndex { $0 & 0xC0 != 0x80 } ?? 0
            if bytes[leadIndex] >= 0xC0, bytes.count - leadIndex < 4,
               String(validating: bytes[..<leadIndex], as: UTF8.self) != nil {
                throw PresetError(.truncated, path: path, position: position(bytes.count),
                                  message: "file ends in the middle of a character (truncated file?)")
            }
            throw PresetError(.unreadable, path: path, message: "is not UTF-8 text; is it really a preset file?")
        }
        var scanner = JSONScanner(bytes: bytes)
        do {
            return try scanner.parseDocument()
        } catch let error as JSONSyntaxError {
            throw PresetError(error.atEndOfInput ? .truncated : .malformed, path: path, position: position(error.offset),
                              message: error.atEndOfInput ? error.message : "malformed JSON: \(error.message)")
        }
    }

    // MARK: - Fields

    private mutating func readFormat(_ member: JSONMember?, objectOffset: Int) throws {
        guard let member, !isNull(member.value.value) else {
            warn(at: objectOffset, field: PresetField.format.key,
                 "no \"format\" field; reading it as format \(Preset.formatVersion) (add \"format\": \(Preset.formatVersion))")
            return
        }
        let version = try integer(member.value, .format)
        if version > Preset.formatVersion {
            throw failure(.newerFormat, at: member.value.offset, field: PresetField.format.key,
                          "format \(version) is newer than this version of Style Studio understands (\(Preset.formatVersion))")
        }
        if version < 1 {
            throw failure(.invalidValue, at: member.value.offset, field: PresetField.format.key,
                          "\"format\" must be \(Preset.formatVersion) (found \(version))")
        }
    }

    private func initialization(_ node: JSONNode) throws -> Initialization {
        let expected = "\"content\", \"style\", \"noise\" or the path of an image"
        let text = try string(node, .initialization, expected: expected)
        switch text.lowercased() {
        case "content": return .content
        case "style": return .style
        case "noise": return .noise
        case "": throw failure(.invalidValue, at: node.offset, field: PresetField.initialization.key,
                               "\"init\" must be \(expected), found an empty string")
        default: return .file(text)
        }
    }

    private func seed(_ node: JSONNode) throws -> UInt64 {
        guard case .number(let text) = node.value else {
            throw failure(.invalidValue, at: node.offset, field: PresetField.seed.key,
                          "\"seed\" must be a whole number from 0 to \(UInt64.max), found \(node.value.foundDescription)")
        }
        if let value = UInt64(text) { return value }
        if let value = Double(text), value >= 0, value < 0x1p53, value == value.rounded() { return UInt64(value) }
        throw failure(.invalidValue, at: node.offset, field: PresetField.seed.key,
                      "\"seed\" must be a whole number from 0 to \(UInt64.max) (found \(text))")
    }

    private mutating func name(_ node: JSONNode?, fileName: String?) throws -> String {
        var written: String?
        if let node {
            let text = try string(node, .name, expected: "a preset name")
            guard Preset.isValidName(text) else {
                throw failure(.invalidValue, at: node.offset, field: PresetField.name.key,
                              "\"name\" \"\(text)\" is not a preset name: names look like \(Preset.namePattern)")
            }
            written = text.lowercased()
        }
        if let fileName, Preset.isValidName(fileName) {
            let name = fileName.lowercased()
            if let written, written != name, let node {
                warn(at: node.offset, field: PresetField.name.key,
                     "\"name\" says \"\(written)\" but the file is \(fileName).json; the preset is called \"\(name)\"")
            }
            return name
        }
        if let written { return written }
        let name = Self.sanitizedName(fileName ?? "")
        warn(at: nil, field: PresetField.name.key,
             "the file name is not a preset name and there is no \"name\" field; calling the preset \"\(name)\"")
        return name
    }

    private func path(_ node: JSONNode, _ field: PresetField) throws -> String {
        let text = try string(node, field, expected: "the path of an image")
        if text.isEmpty {
            throw failure(.invalidValue, at: node.offset, field: field.key,
                          "\"\(field.key)\" must be the path of an image, found an empty string (remove the field instead)")
        }
        return text
    }

    // MARK: - Layers

    private mutating func layers(_ node: JSONNode, _ field: PresetField) throws -> [WeightedLayer] {
        var layers: [WeightedLayer] = []
        var offsets: [Int] = []
        switch node.value {
        case .array(let items):
            for (number, item) in zip(1..., items) {
                layers.append(try layer(item, field, item: number))
                offsets.append(item.offset)
            }
        case .string(let text):
            // "block1_conv1, block2_conv1:0.5": the command line's form.
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            for (number, part) in zip(1..., parts) {
                layers.append(try layer(spec: String(part), field, item: number, offset: node.offset))
                offsets.append(node.offset)
            }
        default:
            throw failure(.invalidValue, at: node.offset, field: field.key,
                          "\"\(field.key)\" must be a list of layers such as [\"block1_conv1\", \"block2_conv1:0.5\"], "
                          + "found \(node.value.foundDescription)")
        }
        if let duplicate = PresetRules.firstDuplicate(in: layers.map(\.layer)),
           let index = layers.lastIndex(where: { $0.layer == duplicate }) {
            throw failure(.invalidValue, at: offsets[index], field: field.key,
                          "\"\(field.key)\" lists \(duplicate.name) more than once")
        }
        return layers
    }

    private mutating func layer(_ node: JSONNode, _ field: PresetField, item: Int) throws -> WeightedLayer {
        let label = "\"\(field.key)\" item \(item)"
        switch node.value {
        case .string(let text):
            return try layer(spec: text, field, item: item, offset: node.offset)
        case .object(let members):
            var layerNode: JSONNode?
            var weightNode: JSONNode?
            for member in members {
                switch member.key {
                case "layer": layerNode = member.value
                case "weight": weightNode = member.value
                default:
                    warn(at: member.keyOffset, field: field.key,
                         "\(label): " + unknownFieldMessage(member.key, known: ["layer", "weight"]))
                }
            }
            guard let layerNode else {
                throw failure(.invalidValue, at: node.offset, field: field.key,
                              "\(label) needs a \"layer\" field, as in {\"layer\": \"block4_conv2\", \"weight\": 0.5}")
            }
            guard case .string(let name) = layerNode.value else {
                throw failure(.invalidValue, at: layerNode.offset, field: field.key,
                              "\(label): \"layer\" must be a layer name such as \"block4_conv2\", "
                              + "found \(layerNode.value.foundDescription)")
            }
            guard let layer = VGGLayer(name: name.trimmingWhitespace()) else {
                throw unknownLayer(name, label: label, at: layerNode.offset, field: field)
            }
            var weight = 1.0
            if let weightNode, !isNull(weightNode.value) {
                guard case .number(let text) = weightNode.value, let value = Double(text) else {
                    throw failure(.invalidValue, at: weightNode.offset, field: field.key,
                                  "\(label): \"weight\" must be a number, found \(weightNode.value.foundDescription)")
                }
                weight = value
                if let problem = SettingTable.layerWeight.problem(with: value) {
                    throw failure(.invalidValue, at: weightNode.offset, field: field.key,
                                  "\(label): the weight of \(layer.name) \(problem)")
                }
            }
            return WeightedLayer(layer, weight: weight)
        default:
            throw failure(.invalidValue, at: node.offset, field: field.key,
                          "\(label) must be a layer such as \"block4_conv2\", \"block4_conv2:0.5\" or "
                          + "{\"layer\": \"block4_conv2\", \"weight\": 0.5}, found \(node.value.foundDescription)")
        }
    }

    /// `block4_conv2`, `conv4_2`, `relu4_2`, each optionally followed by `:WEIGHT`.
    private func layer(spec: String, _ field: PresetField, item: Int, offset: Int) throws -> WeightedLayer {
        let label = "\"\(field.key)\" item \(item)"
        var name = spec.trimmingWhitespace()
        var weight = 1.0
        if let colon = name.lastIndex(of: ":") {
            let weightText = name[name.index(after: colon)...].trimmingWhitespace()
            name = name[..<colon].trimmingWhitespace()
            guard let value = Double(weightText) else {
                throw failure(.invalidValue, at: offset, field: field.key,
                              "\(label): the weight in \"\(spec)\" must be a number, as in \"block4_conv2:0.5\"")
            }
            weight = value
        }
        guard let layer = VGGLayer(name: name) else {
            throw unknownLayer(name, label: label, at: offset, field: field)
        }
        if let problem = SettingTable.layerWeight.problem(with: weight) {
            throw failure(.invalidValue, at: offset, field: field.key, "\(label): the weight of \(layer.name) \(problem)")
        }
        return WeightedLayer(layer, weight: weight)
    }

    private func unknownLayer(_ name: String, label: String, at offset: Int, field: PresetField) -> PresetError {
        failure(.unknownLayer, at: offset, field: field.key, "\(label): unknown layer \"\(name)\"; \(Self.layerForms)")
    }

    /// What a layer may look like, for messages.
    static let layerForms = "VGG19 layers are block1_conv1…block1_conv2, block2_conv1…block2_conv2, "
        + "block3_conv1…block3_conv4, block4_conv1…block4_conv4 and block5_conv1…block5_conv4 "
        + "(also written conv4_2 or relu4_2), optionally with a weight: \"block4_conv2:0.5\" "
        + "or {\"layer\": \"block4_conv2\", \"weight\": 0.5}"

    // MARK: - Scalars

    /// A number, inside the setting's range when one is given.
    private func number(_ node: JSONNode, _ field: PresetField, in setting: SettingRange<Double>? = nil) throws -> Double {
        guard case .number(let text) = node.value else {
            throw failure(.invalidValue, at: node.offset, field: field.key,
                          "\"\(field.key)\" must be a number, found \(node.value.foundDescription)")
        }
        guard let value = Double(text), value.isFinite else {
            throw failure(.invalidValue, at: node.offset, field: field.key, "\"\(field.key)\" is too large (found \(text))")
        }
        return try inRange(value, setting, node, field)
    }

    /// A whole number, inside the setting's range when one is given.
    private func integer(_ node: JSONNode, _ field: PresetField, in setting: SettingRange<Int>? = nil) throws -> Int {
        guard case .number(let text) = node.value else {
            throw failure(.invalidValue, at: node.offset, field: field.key,
                          "\"\(field.key)\" must be a whole number, found \(node.value.foundDescription)")
        }
        if let value = Int(text) { return try inRange(value, setting, node, field) }
        if let value = Double(text), value == value.rounded(), abs(value) < 0x1p53 { return try inRange(Int(value), setting, node, field) }
        let problem = Double(text).map { $0 == $0.rounded() } == true ? "is too large" : "must be a whole number"
        throw failure(.invalidValue, at: node.offset, field: field.key, "\"\(field.key)\" \(problem) (found \(text))")
    }

    private func inRange<Value>(_ value: Value, _ setting: SettingRange<Value>?, _ node: JSONNode,
                                _ field: PresetField) throws -> Value {
        if let problem = setting?.problem(with: value) {
            throw failure(.invalidValue, at: node.offset, field: field.key, "\"\(field.key)\" \(problem)")
        }
        return value
    }

    private func string(_ node: JSONNode, _ field: PresetField, expected: String = "text") throws -> String {
        guard case .string(let text) = node.value else {
            throw failure(.invalidValue, at: node.offset, field: field.key,
                          "\"\(field.key)\" must be a string: \(expected) in double quotes, found \(node.value.foundDescription)")
        }
        return text
    }

    private func isNull(_ value: JSONValue) -> Bool {
        if case .null = value { return true }
        return false
    }

    // MARK: - Messages

    private func position(_ offset: Int) -> TextPosition { TextPosition(offset: offset, in: bytes) }

    private func failure(_ kind: PresetError.Kind, at offset: Int, field: String?, _ message: String) -> PresetError {
        PresetError(kind, path: path, position: position(offset), field: field, message: message)
    }

    private mutating func warn(at offset: Int?, field: String?, _ message: String) {
        warnings.append(PresetWarning(path: path, position: offset.map(position), field: field, message: message))
    }

    private func unknownFieldMessage(_ key: String, known: [String]) -> String {
        var message = "unknown field \"\(key)\" is ignored"
        if let suggestion = Self.closest(to: key, among: known) { message += "; did you mean \"\(suggestion)\"?" }
        return message
    }

    /// The known name within two edits of `key` (a typo), if any.
    static func closest(to key: String, among known: [String]) -> String? {
        let lowered = key.lowercased()
        let scored = known.map { ($0, editDistance(lowered, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs), right = Array(rhs)
        var previous = Array(0...right.count)
        for (i, leftCharacter) in left.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: right.count)
            for (j, rightCharacter) in right.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1,
                                     previous[j] + (leftCharacter == rightCharacter ? 0 : 1))
            }
            previous = current
        }
        return previous[right.count]
    }

    /// A usable name from a file name that is not one: lower case, other characters replaced by '-'.
    static func sanitizedName(_ fileName: String) -> String {
        let mapped = String(fileName.lowercased().unicodeScalars.map { scalar -> Character in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar)
                ? Character(scalar) : "-"
        })
        let trimmed = mapped.drop { !($0.isLetter || $0.isNumber) }.prefix(Preset.maximumNameLength)
        return trimmed.isEmpty ? "preset" : String(trimmed)
    }
}

private extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
