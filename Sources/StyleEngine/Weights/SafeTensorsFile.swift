import Foundation
import SafeIO

/// A read-only, memory-mapped safetensors file holding float32 tensors.
///
/// Format: 8-byte little-endian header length N, N bytes of JSON header
/// (`{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}`),
/// then the data; offsets count from the start of the data. Everything is validated when the file
/// is opened (dtype, shape, offsets against the file size, overlaps), so reading a tensor cannot fail.
final class SafeTensorsFile: @unchecked Sendable {  // immutable after init; reads only copy out
    struct TensorInfo: Equatable, Sendable {
        let shape: [Int]
        /// Byte range inside the data section.
        let dataRange: Range<Int>
    }

    let url: URL
    /// The free-form `__metadata__` strings (empty when absent).
    let metadata: [String: String]
    let tensors: [String: TensorInfo]

    /// Device, inode, size and modification time (seconds, nanoseconds) of the file when it was opened: what
    /// tells a copy of something derived from it (`PreparedKernelFile`) that it is still this file's.
    let identity: [UInt64]

    private let mapping: UnsafeRawPointer
    private let mappedSize: Int
    private let dataStart: Int

    /// Largest header accepted (the reference implementation's limit).
    static let maximumHeaderLength = 100_000_000

    init(contentsOf url: URL) throws {
        self.url = url
        let path = url.path
        // Non-blocking: a FIFO named as the weights must be refused (not a regular file), not waited on.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { throw WeightsError.missingFile(url) }
            throw WeightsError.unreadableFile(url, reason: String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw WeightsError.unreadableFile(url, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw WeightsError.unreadableFile(url, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        identity = FileIdentity.versionWords(of: status)
        guard size > 0 else { throw WeightsError.invalidFile(url, reason: "the file is empty") }
        guard size >= 8 else {
            throw WeightsError.invalidFile(url, reason: "only \(size) bytes, too short for a safetensors header")
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw WeightsError.unreadableFile(url, reason: "cannot map the file: \(String(cString: strerror(errno)))")
        }
        let bytes = UnsafeRawPointer(address)
        do {
            let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
            guard headerLength <= UInt64(size - 8) else {
                throw WeightsError.invalidFile(
                    url, reason: "header length \(headerLength) is larger than the \(size - 8) bytes after it (truncated file?)")
            }
            guard headerLength <= UInt64(Self.maximumHeaderLength) else {
                throw WeightsError.invalidFile(url, reason: "header length \(headerLength) is implausibly large")
            }
            let header = Data(bytes: bytes + 8, count: Int(headerLength))
            let dataStart = 8 + Int(headerLength)
            (metadata, tensors) = try Self.parseHeader(header, dataSize: size - dataStart, url: url)
            self.dataStart = dataStart
        } catch {
            munmap(address, size)
            throw error
        }
        mapping = bytes
        mappedSize = size
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: mapping), mappedSize)
    }

    /// The elements of a tensor named in `tensors`, in file order.
    func floats(of info: TensorInfo) -> [Float] {
        let count = info.dataRange.count / MemoryLayout<Float>.size
        let source = mapping + dataStart + info.dataRange.lowerBound
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let destination = buffer.baseAddress, count > 0 {
                memcpy(destination, source, count * MemoryLayout<Float>.size)  // no alignment assumed
            }
            #if _endian(big)
            for index in 0..<count {
                buffer[index] = Float(bitPattern: UInt32(littleEndian: buffer[index].bitPattern))
            }
            #endif
            initialized = count
        }
    }

    /// Calls `body` with the tensor's floats read in place from the mapping (no copy; a copy only when the
    /// data is not float-aligned or the machine is big-endian), then drops the tensor's pages from this
    /// process's memory like `floatsReleasingPages(of:)`. Preparing kernels straight from the mapping
    /// saves a page fault per 4 KB of weights at start-up (13,000 of them for VGG19).
    func withFloatsReleasingPages<Result>(of info: TensorInfo, _ body: (UnsafePointer<Float>) -> Result) -> Result {
        let source = mapping + dataStart + info.dataRange.lowerBound
        defer { releasePages(of: info) }
        #if _endian(little)
        if Int(bitPattern: source) % MemoryLayout<Float>.alignment == 0 {
            return body(source.assumingMemoryBound(to: Float.self))
        }
        #endif
        return floats(of: info).withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Like `floats(of:)`, then drops the tensor's pages from this process's memory (they are read
    /// again from the file if asked for again), so a tensor copied out is not held twice.
    func floatsReleasingPages(of info: TensorInfo) -> [Float] {
        let values = floats(of: info)
        releasePages(of: info)
        return values
    }

    /// Drops the pages of a tensor's data from this process's memory (read again from the file if needed).
    private func releasePages(of info: TensorInfo) {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (dataStart + info.dataRange.lowerBound) / pageSize * pageSize
        let end = min(mappedSize, dataStart + info.dataRange.upperBound)
        if end > start {
            madvise(UnsafeMutableRawPointer(mutating: mapping + start), end - start, MADV_DONTNEED)
        }
    }

    // MARK: - Header

    private static func parseHeader(_ header: Data, dataSize: Int, url: URL) throws
        -> (metadata: [String: String], tensors: [String: TensorInfo]) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw WeightsError.invalidFile(url, reason: "the header is not valid JSON")
        }
        guard let entries = object as? [String: Any] else {
            throw WeightsError.invalidFile(url, reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in entries.sorted(by: { $0.key < $1.key }) {  // deterministic error messages
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw WeightsError.invalidFile(url, reason: "__metadata__ is not a map of strings")
                }
                metadata = strings
                continue
            }
            tensors[name] = try parseTensor(name: name, value, dataSize: dataSize, url: url)
        }
        // Tensors must not share bytes (empty tensors hold none).
        let ordered = tensors.filter { !$0.value.dataRange.isEmpty }.sorted { ($0.value.dataRange.lowerBound, $0.key) < ($1.value.dataRange.lowerBound, $1.key) }
        for (previous, next) in zip(ordered, ordered.dropFirst())
        where next.value.dataRange.lowerBound < previous.value.dataRange.upperBound {
            throw WeightsError.invalidTensor(url, tensor: next.key, reason: "its data overlaps tensor \(previous.key)")
        }
        return (metadata, tensors)
    }

    private static func parseTensor(name: String, _ value: Any, dataSize: Int, url: URL) throws -> TensorInfo {
        func invalid(_ reason: String) -> WeightsError { .invalidTensor(url, tensor: name, reason: reason) }
        guard let entry = value as? [String: Any] else { throw invalid("its header entry is not a JSON object") }
        guard let dtype = entry["dtype"] as? String else { throw invalid("no dtype") }
        guard dtype == "F32" else { throw invalid("dtype \(dtype) is not supported (only F32)") }
        guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw invalid("no valid shape")
        }
        guard let offsets = integers(entry["data_offsets"]), offsets.count == 2 else {
            throw invalid("no valid data_offsets")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard 0 <= begin, begin <= end else { throw invalid("data_offsets [\(begin), \(end)] are not a range") }
        guard end <= dataSize else {
            throw invalid("data_offsets [\(begin), \(end)] go past the \(dataSize) bytes of data (truncated file?)")
        }
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= dataSize else { throw invalid("shape \(shape) is larger than the file") }
            elements = product
        }
        guard end - begin == elements * MemoryLayout<Float>.size else {
            throw invalid("shape \(shape) needs \(elements * MemoryLayout<Float>.size) bytes but data_offsets hold \(end - begin)")
        }
        return TensorInfo(shape: shape, dataRange: begin..<end)
    }

    /// A JSON array of whole numbers (JSONSerialization gives NSNumbers; fractions are rejected).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in array {
            guard let number = element as? NSNumber else { return nil }
            let real = number.doubleValue
            guard real.rounded() == real, abs(real) < 0x1p53 else { return nil }
            result.append(Int(real))
        }
        return result
    }
}
