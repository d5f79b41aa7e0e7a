import Foundation
import Testing
@testable import ImageIO

/// A smooth image (gradients), which JPEG reproduces closely.
func gradientImage(width: Int, height: Int) -> RGBImage {
    var pixels: [UInt8] = []
    pixels.reserveCapacity(width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            pixels.append(UInt8(x * 255 / max(width - 1, 1)))
            pixels.append(UInt8(y * 255 / max(height - 1, 1)))
            pixels.append(UInt8((x + y) * 255 / max(width + height - 2, 1)))
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}

/// Reads a file's bytes for tests that cut or patch them.
func bytes(of url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
}

func write(_ bytes: [UInt8], to url: URL) throws {
    try Data(bytes).write(to: url)
}

/// The `ImageError` that `body` throws, or nil if it throws none (any other error is recorded as an issue).
func imageError(_ body: () throws -> Void) -> ImageError? {
    do {
        try body()
        return nil
    } catch let error as ImageError {
        return error
    } catch {
        Issue.record("expected an ImageError, got \(error)")
        return nil
    }
}

/// PNG CRC-32 (written here independently of the C code under test).
func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
        }
    }
    return ~crc
}

func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// One PNG chunk: length, type, data, CRC.
func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typeAndData = Array(type.utf8) + data
    return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(crc32(typeAndData))
}

/// Alpha compositing over white, the reference for the decoder's output (computed in Double).
func overWhite(_ value: Int, alpha: Int) -> UInt8 {
    UInt8((Double(value * alpha + 255 * (255 - alpha)) / 255).rounded())
}

/// 16-bit to 8-bit the way libpng's png_set_scale_16 does it: round(v * 255 / 65535).
func scaled16(_ value: Int) -> Int {
    Int((Double(value) * 255 / 65535).rounded())
}
