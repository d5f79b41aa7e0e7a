import Foundation

/// One number a person can set: its default, the values accepted from flags, presets and the studio, the studio
/// slider's span (when it has one) and a line for help texts. `SettingTable` lists them all; every consumer reads it.
public struct SettingRange<Value: SettingNumber>: Sendable {
    /// How messages name the setting, e.g. `content weight`.
    public let name: String
    public let defaultValue: Value
    /// The values accepted anywhere (flags, presets, the studio, the engine's callers).
    public let allowed: ClosedRange<Value>
    /// Written after the bounds in messages, e.g. ` pixels`; empty for plain numbers.
    public let unit: String
    /// What the setting does, one line without its default, for help texts.
    public let summary: String
    /// The studio slider's span (logarithmic); nil for settings that have no slider.
    public let slider: SliderSpan?

    public init(_ name: String, default defaultValue: Value, allowed: ClosedRange<Value>, unit: String = "",
                summary: String, slider: SliderSpan? = nil) {
        precondition(allowed.contains(defaultValue), "the default of \(name) must be allowed")
        self.name = name
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.unit = unit
        self.summary = summary
        self.slider = slider
    }

    /// The default as help texts and messages write it: `5`, `0.001`, `1e12`.
    public var defaultText: String { defaultValue.settingText }

    /// `summary (default D).`, e.g. `Weight of the content term (default 5).`
    public var help: String { "\(summary) (default \(defaultText))." }

    /// `between 0 and 1e12`, with the unit when there is one.
    public var rangeText: String {
        "between \(allowed.lowerBound.settingText) and \(allowed.upperBound.settingText)\(unit)"
    }

    /// Nil when `value` is allowed, else the problem: `must be between 0 and 1e12 (found -3)`.
    public func problem(with value: Value) -> String? {
        value.isUsableSetting && allowed.contains(value) ? nil : "must be \(rangeText) (found \(value.settingText))"
    }

    /// The problem with the setting's name in front (`style weight must be between 0 and 1e12 (found -3)`), or nil.
    public func namedProblem(with value: Value) -> String? {
        problem(with: value).map { "\(name) \($0)" }
    }
}

/// A studio slider's span: logarithmic from `minimum` to `maximum`, with 0 (off) one step below when `allowsZero`.
/// It may be narrower than the setting's allowed values: a preset or flag may go beyond what the slider reaches.
public struct SliderSpan: Hashable, Sendable {
    public let minimum: Double
    public let maximum: Double
    public let allowsZero: Bool

    public init(minimum: Double, maximum: Double, allowsZero: Bool = false) {
        self.minimum = minimum
        self.maximum = maximum
        self.allowsZero = allowsZero
    }
}

/// A number a setting can hold, and how messages write it.
public protocol SettingNumber: Comparable, Sendable {
    /// For help texts and messages: `1e12` rather than `1000000000000`, `0.001`, `5`.
    var settingText: String { get }
    /// False for NaN and infinities, which no setting accepts.
    var isUsableSetting: Bool { get }
}

extension Int: SettingNumber {
    public var settingText: String { "\(self)" }
    public var isUsableSetting: Bool { true }
}

extension UInt64: SettingNumber {
    public var settingText: String { "\(self)" }
    public var isUsableSetting: Bool { true }
}

extension Double: SettingNumber {
    public var settingText: String {
        let magnitude = abs(self)
        if isFinite, magnitude != 0, magnitude >= 1e6 || magnitude < 1e-3 {
            let exponent = log10(magnitude).rounded()
            if pow(10, exponent) == magnitude { return "\(self < 0 ? "-" : "")1e\(Int(exponent))" }
        }
        return shortestText
    }

    public var isUsableSetting: Bool { isFinite }

    /// The shortest text that reads back as exactly this value; whole numbers without ".0" (`5`, `0.001`, `1e-06`).
    public var shortestText: String {
        guard isFinite else { return isNaN ? "nan" : (self < 0 ? "-inf" : "inf") }
        if self == rounded(), abs(self) < 1e15 { return "\(Int64(self))" }
        return "\(self)"
    }
}
