import Foundation
import StyleEngine

/// A slider over a logarithmic scale, with ten round-number stops per decade
/// (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, …) so that values typed by keys stay readable.
public struct LogSlider: Hashable, Sendable {
    public let minimum: Double
    public let maximum: Double
    /// Whether the value can be switched off (0), one step below `minimum`.
    public let allowsZero: Bool

    /// Mantissas of the stops inside one decade.
    public static let stops: [Double] = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8]
    /// Steps per decade: a coarse step moves this many stops.
    public static let stepsPerDecade = stops.count

    /// The slider over a span of `SettingTable`.
    public init(_ span: SliderSpan) {
        self.init(minimum: span.minimum, maximum: span.maximum, allowsZero: span.allowsZero)
    }

    public init(minimum: Double, maximum: Double, allowsZero: Bool = false) {
        precondition(minimum > 0 && maximum > minimum, "a log slider needs 0 < minimum < maximum")
        self.minimum = minimum
        self.maximum = maximum
        self.allowsZero = allowsZero
    }

    /// The value limited to the slider's range (0 stays 0 when the slider allows it).
    public func clamped(_ value: Double) -> Double {
        if !value.isFinite { return value > 0 ? maximum : (allowsZero ? 0 : minimum) }
        if value <= 0 { return allowsZero ? 0 : minimum }
        return min(max(value, minimum), maximum)
    }

    /// Where `value` sits along the slider, 0…1 (0 for off and for the minimum).
    public func position(of value: Double) -> Double {
        let value = clamped(value)
        guard value > 0 else { return 0 }
        return (log10(value) - log10(minimum)) / (log10(maximum) - log10(minimum))
    }

    /// The value at `position` (0…1, clamped), not snapped to a stop.
    public func value(at position: Double) -> Double {
        let position = min(max(position.isFinite ? position : 0, 0), 1)
        let exponent = log10(minimum) + position * (log10(maximum) - log10(minimum))
        return clamped(pow(10, exponent))
    }

    /// The stop nearest to `value` on a logarithmic scale, as an index counted from 10⁰ (negative below 1).
    static func stopIndex(nearest value: Double) -> Int {
        let exponent = log10(value)
        let decade = Int(floor(exponent))
        var best = decade * stepsPerDecade
        var bestDistance = Double.infinity
        for (offset, mantissa) in (stops + [10]).enumerated() {
            let distance = abs(log10(mantissa) + Double(decade) - exponent)
            if distance < bestDistance {
                bestDistance = distance
                best = decade * stepsPerDecade + offset
            }
        }
        return best
    }

    /// The value of a stop index (see `stopIndex(nearest:)`).
    static func stopValue(_ index: Int) -> Double {
        let decade = Int(floor(Double(index) / Double(stepsPerDecade)))
        let offset = index - decade * stepsPerDecade
        return stops[offset] * pow(10, Double(decade))
    }

    /// The nearest round stop inside the range.
    public func snapped(_ value: Double) -> Double {
        let value = clamped(value)
        guard value > 0 else { return 0 }
        return clamped(Self.stopValue(Self.stopIndex(nearest: value)))
    }

    /// Moves `steps` stops up (positive) or down; from off, one step up gives the minimum.
    public func stepped(_ value: Double, by steps: Int) -> Double {
        let value = clamped(value)
        if steps == 0 { return value }
        if value <= 0 {
            guard steps > 0 else { return 0 }
            return steps == 1 ? minimum : stepped(minimum, by: steps - 1)
        }
        let target = Self.stopIndex(nearest: value) + steps
        let next = Self.stopValue(target)
        if next < minimum * (1 - 1e-9) {
            // Below the bottom: stop at the minimum first, then at off.
            if allowsZero && value <= minimum * (1 + 1e-9) { return 0 }
            return minimum
        }
        return clamped(next)
    }

    /// Knob column for `value` on a track `width` cells wide.
    public func column(of value: Double, width: Int) -> Int {
        guard width > 1 else { return 0 }
        return Int((position(of: value) * Double(width - 1)).rounded())
    }

    /// The snapped value under column `column` of a track `width` cells wide (mouse clicks and drags).
    public func value(atColumn column: Int, width: Int) -> Double {
        guard width > 1 else { return minimum }
        return snapped(value(at: Double(column) / Double(width - 1)))
    }
}

/// Short, readable numbers for weights: `0.001`, `12.5`, `2500`, `1.5e-6`, `2e7`; `off` for zero.
public func formatWeight(_ value: Double) -> String {
    if value == 0 { return "off" }
    if !value.isFinite { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e5 {
        var text = String(format: "%.4g", value)
        if text.contains("e") { text = String(format: "%.4f", value) }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
    return formatScientific(value)
}

/// `1.5e-6`, `2e7`, `1.23e5`: three significant digits at most, no padding.
public func formatScientific(_ value: Double) -> String {
    guard value.isFinite, value != 0 else { return value == 0 ? "0" : formatWeight(value) }
    let exponent = Int(floor(log10(abs(value))))
    var mantissa = value / pow(10, Double(exponent))
    var exponentValue = exponent
    if abs((mantissa * 100).rounded() / 100) >= 10 { mantissa /= 10; exponentValue += 1 }
    var text = String(format: "%.2f", mantissa)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return "\(text)e\(exponentValue)"
}

/// Loss values in the stats line: at most six characters, scientific outside 0.01…9999.
public func formatLoss(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : "inf" }
    let magnitude = abs(value)
    if magnitude == 0 { return "0" }
    if magnitude >= 0.01 && magnitude < 1e4 { return String(format: magnitude < 10 ? "%.3f" : magnitude < 1000 ? "%.1f" : "%.0f", value) }
    return formatScientific(value)
}
