/// 3×3, stride-1, zero-padded convolution by Winograd (WinogradTile.swift): each m×m output tile
/// comes from an n×n input tile (n = m + 2) with n² multiplies per (input, output) channel pair
/// instead of 9m², so the GEMMs do 2.25× (F(2×2)) or 4× (F(4×4)) less work than a direct convolution.
///
///   V_ξ = (Bᵀ d B)_ξ     input transform, per tile and channel
///   M_ξ = V_ξ · U_ξ      n² GEMMs per chunk of tiles: (tiles × Cin)·(Cin × Cout)
///   Y   = Aᵀ M A         output transform, m×m pixels per tile
///
/// F(2×2): Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], Aᵀ = [1 1 1 0; 0 1 −1 −1] (exact up to
/// rounding: ±1 and ½ only). F(4×4): the matrices of WinogradTile.swift (Winograd4x4Transforms.swift).
///
/// Tiles are processed in chunks, each chunk by one worker with its own scratch (V and M of the
/// chunk) and a single-threaded GEMM, so the two cores never wait on each other inside a layer. A map small
/// enough for one chunk per worker is done whole instead (`runWholeMap`), so that each kernel matrix is read
/// (and in the gradient pass transposed, slice by slice) once rather than once per worker.
struct WinogradConvolution {
    let shape: FeatureShape   // input H, W, Cin (padded layout)
    let outputChannels: Int
    let tile: WinogradTile
    let tileRows: Int
    let tileColumns: Int
    let tilesPerChunk: Int
    let chunkCount: Int

    /// Floats of V + M scratch one worker may use (16 MB; 8 MB cost 2% at 512 px, 32 MB gained nothing).
    static let scratchBudget = 4 << 20
    /// The budget of the full-resolution layers (block1_conv2), whose scratch cannot live in the free parts of
    /// the working maps (`VGG19MemoryPlan`): 4 MB. Their GEMMs are 64 × 64 deep and wide, so smaller chunks
    /// cost nothing (`bench --size 512`, budgets alternating: 1.443 and 1.451 s/it at 4 MB, 1.468 and 1.470
    /// at 16 MB).
    static let fullResolutionScratchBudget = 1 << 20

    init(shape: FeatureShape, outputChannels: Int, tile: WinogradTile, scratchBudget: Int = Self.scratchBudget) {
        self.shape = shape
        self.outputChannels = outputChannels
        self.tile = tile
        let m = tile.outputSide
        tileRows = (shape.height + m - 1) / m
        tileColumns = (shape.width + m - 1) / m
        let tiles = tileRows * tileColumns
        let workers = ParallelLoop.coreCount
        let largestChunk = max(1, scratchBudget / (tile.matrixCount * (shape.channels + outputChannels)))
        let chunks = workers * max(1, (tiles + workers * largestChunk - 1) / (workers * largestChunk))
        tilesPerChunk = max(1, (tiles + chunks - 1) / chunks)  // a map with no tiles (an image too small, refused later)
        chunkCount = (tiles + tilesPerChunk - 1) / tilesPerChunk
    }

    var tileCount: Int { tileRows * tileColumns }

    /// Floats of scratch each worker needs for a chunk: its V and M, and what the products need to build slices of
    /// the kernel's matrices in (`UnpackedGEMM.tapMajorScratchCount`, 128 KB), at the end of the worker's scratch.
    var scratchCountPerWorker: Int {
        tile.matrixCount * tilesPerChunk * (shape.channels + outputChannels) + UnpackedGEMM.tapMajorScratchCount
    }

    /// Floats of V and M of the whole map.
    private var wholeMapCount: Int { tile.matrixCount * tileCount * (shape.channels + outputChannels) }

    /// Floats of scratch each worker is given, worker 0 first: a chunk's, and for worker 0 the whole map's
    /// where the map is small enough to be done whole (`wholeMapFits`).
    var scratchCounts: [Int] {
        let first = ParallelLoop.coreCount > 1 && chunkCount <= ParallelLoop.coreCount
            ? max(wholeMapCount + UnpackedGEMM.tapMajorScratchCount, scratchCountPerWorker) : scratchCountPerWorker
        return [first] + Array(repeating: scratchCountPerWorker, count: ParallelLoop.coreCount - 1)
    }

    /// Writes the interior of `output` (padded, `outputChannels` channels); its border is not touched.
    /// With `bias`, the epilogue is ReLU(y + bias); without, the plain convolution. With `gradient`, the
    /// kernel is used flipped and transposed (the image-gradient pass; shape then has Cout channels).
    /// The input's border must be zero; `zeros` must hold at least `shape.channels` zeros.
    func run(input: UnsafePointer<Float>, kernel: WinogradKernel, gradient: Bool = false, bias: UnsafePointer<Float>?,
             output: UnsafeMutablePointer<Float>, scratch: [FloatBuffer], zeros: UnsafePointer<Float>) {
        precondition(kernel.tile == tile || kernel.storage == .tapMajor)
        precondition(gradient ? (kernel.outputs == shape.channels && kernel.inputs == outputChannels)
                              : (kernel.inputs == shape.channels && kernel.outputs == outputChannels))
        precondition(shape.channels % Vector.width == 0 && outputChannels % Vector.width == 0)
        precondition(scratch.count >= ParallelLoop.coreCount && scratch.allSatisfy { $0.count >= scratchCountPerWorker })
        if wholeMapFits(scratch) {
            runWholeMap(input: input, kernel: kernel, gradient: gradient, bias: bias, output: output, scratch: scratch,
                        zeros: zeros)
            return
        }
        let layout = ScratchLayout.chunk(tilesPerChunk)
        ParallelLoop.runRanges(count: chunkCount) { worker, chunks in
            let v = scratch[worker].pointer
            let m = v + tile.matrixCount * tilesPerChunk * shape.channels
            let productScratch = Self.productScratch(in: scratch[worker])
            for chunk in chunks {
                let first = chunk * tilesPerChunk, count = min(tilesPerChunk, tileCount - first)
                let tiles = first..<(first + count)
                transformInput(input, tiles: tiles, into: v, layout: layout, zeros: zeros)
                multiply(v, kernel: kernel, gradient: gradient, matrices: 0..<tile.matrixCount, rows: count,
                         tilesPerMatrix: tilesPerChunk, into: m, scratch: productScratch)
                transformOutput(m, tiles: tiles, layout: layout, bias: bias, into: output)
            }
        }
    }

    /// Where a transform finds tile t of matrix ξ: at (ξ · tilesPerMatrix + t − first) · channels.
    enum ScratchLayout {
        /// One chunk of tiles, counted from the chunk's first.
        case chunk(Int)
        /// Every tile of the map.
        case wholeMap(Int)

        var tilesPerMatrix: Int {
            switch self {
            case .chunk(let tiles), .wholeMap(let tiles): tiles
            }
        }

        func firstTile(of tiles: Range<Int>) -> Int {
            switch self {
            case .chunk: tiles.lowerBound
            case .wholeMap: 0
            }
        }
    }

    /// Whether the map is small enough for one chunk per worker (each worker would then read all n² kernel
    /// matrices for its GEMMs, and in the gradient pass transpose them: at 256 px, with OpenBLAS's packing, that
    /// took a tenth of an iteration) and V and M of the whole map, and the products' scratch, fit in the first worker's
    /// (`scratchCounts` asks for that much). Then `runWholeMap` reads each kernel matrix once.
    func wholeMapFits(_ scratch: [FloatBuffer]) -> Bool {
        ParallelLoop.coreCount > 1 && chunkCount <= ParallelLoop.coreCount
            && wholeMapCount + UnpackedGEMM.tapMajorScratchCount <= scratch[0].count
    }

    /// The whole map at once, in three parallel steps: the input transform split by tiles, the n² GEMMs split by
    /// matrix (each over every tile, each kernel matrix read once), the output transform split by tiles.
    private func runWholeMap(input: UnsafePointer<Float>, kernel: WinogradKernel, gradient: Bool,
                             bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, scratch: [FloatBuffer],
                             zeros: UnsafePointer<Float>) {
        let layout = ScratchLayout.wholeMap(tileCount)
        let v = scratch[0].pointer, m = v + tile.matrixCount * tileCount * shape.channels
        ParallelLoop.runRanges(count: tileCount) { _, tiles in
            transformInput(input, tiles: tiles, into: v, layout: layout, zeros: zeros)
        }
        ParallelLoop.runRanges(count: tile.matrixCount) { worker, matrices in
            multiply(v, kernel: kernel, gradient: gradient, matrices: matrices, rows: tileCount, tilesPerMatrix: tileCount,
                     into: m, scratch: Self.productScratch(in: scratch[worker]))
        }
        ParallelLoop.runRanges(count: tileCount) { _, tiles in
            transformOutput(m, tiles: tiles, layout: layout, bias: bias, into: output)
        }
    }

    /// The products' scratch in a worker's: its last floats, past V and M.
    private static func productScratch(in scratch: FloatBuffer) -> UnsafeMutablePointer<Float> {
        scratch.pointer + scratch.count - UnpackedGEMM.tapMajorScratchCount
    }

    /// M_ξ = V_ξ · U_ξ for ξ in `matrices`: `rows` tiles, matrices `tilesPerMatrix` tiles apart in V and M. The
    /// forward pass's products read U in place (`UnpackedGEMM.multiply`); the gradient's read it transposed, slice
    /// by slice through `scratch` (`UnpackedGEMM.multiplyTransposed`); by OpenBLAS where the build has neither. A
    /// tap-major kernel (`WinogradKernel.Storage`) becomes U_ξ slice by slice in `scratch`, both ways.
    private func multiply(_ v: UnsafePointer<Float>, kernel: WinogradKernel, gradient: Bool, matrices: Range<Int>,
                          rows: Int, tilesPerMatrix: Int, into m: UnsafeMutablePointer<Float>,
                          scratch: UnsafeMutablePointer<Float>) {
        let cin = shape.channels, cout = outputChannels
        if kernel.storage == .tapMajor {
            let taps = gradient ? tile.gradientSeparableTaps : tile.separableTaps
            UnpackedGEMM.multiply(matrices: matrices, rows: rows, columns: cout, depth: cin, v, leadingA: cin,
                                  matrixStrideA: tilesPerMatrix * cin, tapMajorKernel: kernel.matrices.pointer,
                                  kernelOutputs: kernel.outputs, taps: { taps[$0] }, transposed: gradient,
                                  into: m, leadingC: cout, matrixStrideC: tilesPerMatrix * cout, scratch: scratch)
            return
        }
        for xi in matrices {
            let tiles = v + xi * tilesPerMatrix * cin, products = m + xi * tilesPerMatrix * cout
            if gradient {
                UnpackedGEMM.multiplyTransposedWithFallback(
                    rows: rows, columns: cout, depth: cin, tiles, leadingA: cin,
                    kernel.matrices.pointer + tile.gradientMatrixIndex(xi) * cin * cout, leadingB: cin,
                    into: products, leadingC: cout, panel: scratch)
            } else {
                UnpackedGEMM.multiplyWithFallback(rows: rows, columns: cout, depth: cin, tiles, leadingA: cin,
                                                  kernel.matrices.pointer + xi * cin * cout, leadingB: cout,
                                                  into: products, leadingC: cout)
            }
        }
    }

    private func transformInput(_ input: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>,
                                layout: ScratchLayout, zeros: UnsafePointer<Float>) {
        switch tile {
        case .f2x2: transformInput2x2(input, tiles: tiles, into: v, layout: layout, zeros: zeros)
        case .f4x4: transformInput4x4(input, tiles: tiles, into: v, layout: layout, zeros: zeros)
        }
    }

    private func transformOutput(_ m: UnsafePointer<Float>, tiles: Range<Int>, layout: ScratchLayout,
                                 bias: UnsafePointer<Float>?, into output: UnsafeMutablePointer<Float>) {
        switch tile {
        case .f2x2: transformOutput2x2(m, tiles: tiles, layout: layout, bias: bias, into: output)
        case .f4x4: transformOutput4x4(m, tiles: tiles, layout: layout, bias: bias, into: output)
        }
    }

    private func transformInput2x2(_ input: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>,
                                   layout: ScratchLayout, zeros: UnsafePointer<Float>) {
        let c = shape.channels, p = shape.paddedWidth
        let plane = layout.tilesPerMatrix * c
        let lastRow = shape.height + 1, lastColumn = shape.width + 1
        for tile in tiles {
            let ty = tile / tileColumns, tx = tile % tileColumns
            @inline(__always) func pixel(_ i: Int, _ j: Int) -> UnsafePointer<Float> {
                let row = 2 * ty + i, column = 2 * tx + j
                return row <= lastRow && column <= lastColumn ? input + (row * p + column) * c : zeros
            }
            let d00 = pixel(0, 0), d01 = pixel(0, 1), d02 = pixel(0, 2), d03 = pixel(0, 3)
            let d10 = pixel(1, 0), d11 = pixel(1, 1), d12 = pixel(1, 2), d13 = pixel(1, 3)
            let d20 = pixel(2, 0), d21 = pixel(2, 1), d22 = pixel(2, 2), d23 = pixel(2, 3)
            let d30 = pixel(3, 0), d31 = pixel(3, 1), d32 = pixel(3, 2), d33 = pixel(3, 3)
            let out = v + (tile - layout.firstTile(of: tiles)) * c
            for k in stride(from: 0, to: c, by: Vector.width) {
                // Rows: Bᵀ d
                let t00 = Vector.load(d00 + k) - Vector.load(d20 + k), t01 = Vector.load(d01 + k) - Vector.load(d21 + k)
                let t02 = Vector.load(d02 + k) - Vector.load(d22 + k), t03 = Vector.load(d03 + k) - Vector.load(d23 + k)
                let t10 = Vector.load(d10 + k) + Vector.load(d20 + k), t11 = Vector.load(d11 + k) + Vector.load(d21 + k)
                let t12 = Vector.load(d12 + k) + Vector.load(d22 + k), t13 = Vector.load(d13 + k) + Vector.load(d23 + k)
                let t20 = Vector.load(d20 + k) - Vector.load(d10 + k), t21 = Vector.load(d21 + k) - Vector.load(d11 + k)
                let t22 = Vector.load(d22 + k) - Vector.load(d12 + k), t23 = Vector.load(d23 + k) - Vector.load(d13 + k)
                let t30 = Vector.load(d10 + k) - Vector.load(d30 + k), t31 = Vector.load(d11 + k) - Vector.load(d31 + k)
                let t32 = Vector.load(d12 + k) - Vector.load(d32 + k), t33 = Vector.load(d13 + k) - Vector.load(d33 + k)
                // Columns: (Bᵀ d) B
                let o = out + k
                Vector.store(t00 - t02, o); Vector.store(t01 + t02, o + plane)
                Vector.store(t02 - t01, o + 2 * plane); Vector.store(t01 - t03, o + 3 * plane)
                Vector.store(t10 - t12, o + 4 * plane); Vector.store(t11 + t12, o + 5 * plane)
                Vector.store(t12 - t11, o + 6 * plane); Vector.store(t11 - t13, o + 7 * plane)
                Vector.store(t20 - t22, o + 8 * plane); Vector.store(t21 + t22, o + 9 * plane)
                Vector.store(t22 - t21, o + 10 * plane); Vector.store(t21 - t23, o + 11 * plane)
                Vector.store(t30 - t32, o + 12 * plane); Vector.store(t31 + t32, o + 13 * plane)
                Vector.store(t32 - t31, o + 14 * plane); Vector.store(t31 - t33, o + 15 * plane)
            }
        }
    }

    private func transformOutput2x2(_ m: UnsafePointer<Float>, tiles: Range<Int>, layout: ScratchLayout,
                                    bias: UnsafePointer<Float>?, into output: UnsafeMutablePointer<Float>) {
        let c = outputChannels, p = shape.paddedWidth
        let plane = layout.tilesPerMatrix * c
        for tile in tiles {
            let ty = tile / tileColumns, tx = tile % tileColumns
            let source = m + (tile - layout.firstTile(of: tiles)) * c
            let y0 = 2 * ty, x0 = 2 * tx
            let hasSecondRow = y0 + 1 < shape.height, hasSecondColumn = x0 + 1 < shape.width
            let o00 = output + ((y0 + 1) * p + x0 + 1) * c
            let o01 = o00 + c, o10 = o00 + p * c, o11 = o10 + c
            for k in stride(from: 0, to: c, by: Vector.width) {
                let s = source + k
                let m00 = Vector.load(s), m01 = Vector.load(s + plane)
                let m02 = Vector.load(s + 2 * plane), m03 = Vector.load(s + 3 * plane)
                let m10 = Vector.load(s + 4 * plane), m11 = Vector.load(s + 5 * plane)
                let m12 = Vector.load(s + 6 * plane), m13 = Vector.load(s + 7 * plane)
                let m20 = Vector.load(s + 8 * plane), m21 = Vector.load(s + 9 * plane)
                let m22 = Vector.load(s + 10 * plane), m23 = Vector.load(s + 11 * plane)
                let m30 = Vector.load(s + 12 * plane), m31 = Vector.load(s + 13 * plane)
                let m32 = Vector.load(s + 14 * plane), m33 = Vector.load(s + 15 * plane)
                // Rows: Aᵀ m
                let a0 = m00 + m10 + m20, a1 = m01 + m11 + m21, a2 = m02 + m12 + m22, a3 = m03 + m13 + m23
                let b0 = m10 - m20 - m30, b1 = m11 - m21 - m31, b2 = m12 - m22 - m32, b3 = m13 - m23 - m33
                // Columns: (Aᵀ m) A
                var y00 = a0 + a1 + a2, y01 = a1 - a2 - a3, y10 = b0 + b1 + b2, y11 = b1 - b2 - b3
                if let bias {
                    let offset = Vector.load(bias + k)
                    y00 = Vector.rectified(y00 + offset); y01 = Vector.rectified(y01 + offset)
                    y10 = Vector.rectified(y10 + offset); y11 = Vector.rectified(y11 + offset)
                }
                Vector.store(y00, o00 + k)
                if hasSecondColumn { Vector.store(y01, o01 + k) }
                if hasSecondRow {
                    Vector.store(y10, o10 + k)
                    if hasSecondColumn { Vector.store(y11, o11 + k) }
                }
            }
        }
    }
}
