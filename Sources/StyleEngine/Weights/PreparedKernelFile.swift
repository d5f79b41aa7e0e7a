import Foundation
import SafeIO
import SystemPackage

/// The Winograd-transformed kernels of one weights file, kept beside it (`vgg19.safetensors.prepared`) so that
/// later processes map them instead of computing them (and block 4's tap-major kernels, `WinogradKernel.Storage`).
/// Preparing them fresh touches 87 MB of new pages (113 MB where block 4 is transformed too; about
/// 3 µs a page on the machines measured, 0.09 s in all, plus the transforms); reading a file the system has
/// cached costs a seventh of that. TFLite's XNNPACK delegate keeps a weight cache file for the same reason.
///
/// Layout: a 4096-byte header of little-endian UInt64 words (magic, format version, the weights file's identity:
/// device, inode, size, modification time; a hash of the layers' algorithms, storages and transform matrices; how many
/// layers, from the first, the file holds (the deepest a run used when it was written); the data's byte
/// count), then each of those Winograd layers' matrices in network order (`WinogradKernel.matrices`). The file is
/// written atomically (temporary file, fsync, rename: never seen half-written) after a fresh preparation. A load
/// checks the header against the weights file and this program's choice of algorithms and transform matrices,
/// and the size; `PreparedConvolutionCache` also compares the first Winograd layer bit for bit with a fresh
/// preparation (a change in how kernels are transformed). A file that fails any check is recomputed and
/// replaced. Bytes changed inside another layer are not detected (as for any cache, delete it if in doubt:
/// deleting it is always safe).
final class PreparedKernelFile: @unchecked Sendable {  // read-only after init
    static let magic: UInt64 = 0x5350_4b31_5353_5453  // "STSS1KPS" read as bytes: Style Studio prepared kernels
    static let formatVersion: UInt64 = 2  // 2: block 4's kernels may be tap-major (`WinogradKernel.Storage`)
    static let headerBytes = 4096

    /// Where the prepared kernels of the weights file at `weightsURL` are kept.
    static func location(besideWeights weightsURL: URL) -> URL { weightsURL.appendingPathExtension("prepared") }

    /// The Winograd layers among the first `layerCount`, in network order, with the tile each uses.
    static func winogradLayers(first layerCount: Int = VGGLayer.all.count) -> [(layer: VGGLayer, tile: WinogradTile)] {
        VGGLayer.all.prefix(layerCount).compactMap { layer in
            if case .winograd(let tile) = ConvolutionAlgorithm.chosen(for: layer) { return (layer, tile) }
            return nil
        }
    }

    /// Bytes of a layer's matrices (or tap-major kernel: `WinogradKernel.storage(for:)`).
    static func matrixBytes(_ layer: VGGLayer, _ tile: WinogradTile) -> Int {
        WinogradKernel.floatCount(tile: tile, inputs: layer.inputChannels, outputs: layer.outputChannels,
                                  storage: WinogradKernel.storage(for: layer)) * MemoryLayout<Float>.stride
    }

    static func dataBytes(first layerCount: Int) -> Int {
        winogradLayers(first: layerCount).reduce(0) { $0 + matrixBytes($1.layer, $1.tile) }
    }

    /// FNV-1a over every layer's channels, algorithm and storage and the transform matrices: a file made by a
    /// program whose choice of algorithms or storages or whose transforms differ does not match.
    static var layoutHash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { hash = (hash ^ ((value >> UInt64(shift)) & 0xff)) &* 0x100_0000_01b3 }
        }
        for (layer, tile) in winogradLayers() {
            [layer.index, layer.inputChannels, layer.outputChannels, tile.rawValue, WinogradKernel.storage(for: layer).rawValue]
                .forEach { mix(UInt64($0)) }
            tile.kernelTransform.forEach { mix(UInt64($0.bitPattern)) }
        }
        return hash
    }

    static func header(identity: [UInt64], layerCount: Int) -> [UInt64] {
        [magic, formatVersion] + identity + [layoutHash, UInt64(layerCount), UInt64(dataBytes(first: layerCount))]
    }

    /// Where the layer count is in the header.
    private static let layerCountWord = 8

    private let mapping: UnsafeMutableRawPointer
    private let size: Int
    /// The file holds the first `layerCount` layers.
    let layerCount: Int

    /// Maps the file at `url` when it holds the kernels of the weights file with `identity` as this program
    /// prepares them; nil otherwise (missing, unreadable, another file's, truncated, another layout).
    init?(url: URL, identity: [UInt64]) {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)  // a FIFO there is ignored, not waited on
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        var word: UInt64 = 0
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
              pread(descriptor, &word, 8, off_t(8 * Self.layerCountWord)) == 8,
              let layerCount = Int(exactly: UInt64(littleEndian: word)), (1...VGGLayer.all.count).contains(layerCount) else {
            return nil
        }
        let expectedSize = Self.headerBytes + Self.dataBytes(first: layerCount)
        guard Int(status.st_size) == expectedSize,
              // Private and writable: the kernels are never written, but a stray write must not reach the file.
              let address = mmap(nil, expectedSize, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0),
              address != MAP_FAILED else { return nil }
        let expected = Self.header(identity: identity, layerCount: layerCount)
        let words = address.assumingMemoryBound(to: UInt64.self)
        guard expected.indices.allSatisfy({ UInt64(littleEndian: words[$0]) == expected[$0] }) else {
            munmap(address, expectedSize)
            return nil
        }
        mapping = address
        size = expectedSize
        self.layerCount = layerCount
    }

    deinit { munmap(mapping, size) }

    /// The file's kernels, by layer (views into the mapping, which lives as long as any of them).
    func kernels() -> [VGGLayer: WinogradKernel] {
        var offset = Self.headerBytes
        var kernels: [VGGLayer: WinogradKernel] = [:]
        for (layer, tile) in Self.winogradLayers(first: layerCount) {
            let count = Self.matrixBytes(layer, tile) / MemoryLayout<Float>.stride
            let matrices = FloatBuffer(viewing: (mapping + offset).assumingMemoryBound(to: Float.self), count: count,
                                       owner: self)
            kernels[layer] = WinogradKernel(tile: tile, inputs: layer.inputChannels, outputs: layer.outputChannels,
                                            storage: WinogradKernel.storage(for: layer), matrices: matrices)
            offset += Self.matrixBytes(layer, tile)
        }
        return kernels
    }

    /// Writes the kernels of the first `layerCount` layers (each Winograd layer among them must be in `kernels`)
    /// for the weights file with `identity`, atomically. Best effort: a folder that cannot be written to only
    /// means the next process prepares the kernels again.
    static func write(_ kernels: [VGGLayer: WinogradKernel], layerCount: Int, identity: [UInt64], to url: URL) {
        let layers = winogradLayers(first: layerCount)
        guard layerCount >= 1, layers.allSatisfy({ kernels[$0.layer]?.tile == $0.tile
                                                   && kernels[$0.layer]?.storage == WinogradKernel.storage(for: $0.layer) })
        else { return }
        do {
            let file = try PendingAtomicFile(FilePath(url.path))
            var header = [UInt8](repeating: 0, count: headerBytes)
            for (index, word) in Self.header(identity: identity, layerCount: layerCount).enumerated() {
                withUnsafeBytes(of: word.littleEndian) { header.replaceSubrange(8 * index..<8 * index + 8, with: $0) }
            }
            try header.withUnsafeBytes { try file.write($0) }
            for (layer, _) in layers {
                let matrices = kernels[layer]!.matrices
                try file.write(UnsafeRawBufferPointer(start: matrices.pointer, count: matrices.bytes))
            }
            try file.commit()
        } catch {
            return
        }
    }
}
