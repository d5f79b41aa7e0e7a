import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names in a folder as the file system has them: bytes, which need not be UTF-8.
public enum DirectoryListing {
    public struct Entry: Hashable, Sendable {
        /// The name's bytes, exactly.
        public let bytes: [UInt8]
        /// The name as a string when it is valid UTF-8 (only such names can be given on as `String` paths).
        public var name: String? { String(validating: bytes, as: UTF8.self) }
        /// The name for people: valid UTF-8 as it is, every byte that is not as `\xFF`.
        public var displayName: String {
            if let name { return name }
            var result = ""
            var bytes = self.bytes[...]
            while !bytes.isEmpty {
                // The longest valid prefix as text, then one invalid byte escaped.
                var length = bytes.count
                while length > 0, String(validating: bytes.prefix(length), as: UTF8.self) == nil { length -= 1 }
                result += String(decoding: bytes.prefix(length), as: UTF8.self)
                bytes = bytes.dropFirst(length)
                if let byte = bytes.first {
                    result += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
                    bytes = bytes.dropFirst()
                }
            }
            return result
        }
        /// Status of the entry (symbolic links followed), nil when it vanished or is a dangling link.
        public func status(in folder: FilePath) -> Stat? {
            var path = folder.string.utf8CString.dropLast().map { UInt8(bitPattern: $0) }
            path.append(UInt8(ascii: "/"))
            path += bytes
            let cString = path.map { CChar(bitPattern: $0) } + [0]
            return cString.withUnsafeBufferPointer { try? Stat($0.baseAddress!) }
        }
    }

    /// Every entry but `.` and `..`; nil when the folder does not exist.
    public static func entries(in folder: String) throws(FileFailure) -> [Entry]? {
        guard let directory = opendir(folder) else {
            let number = Errno(rawValue: errno)
            if number == .noSuchFileOrDirectory || number == .notDirectory { return nil }
            throw FileFailure(FilePath(folder), .read, number)
        }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if bytes == [46] || bytes == [46, 46] { continue }
            entries.append(Entry(bytes: bytes))
        }
        return entries
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: Swift.max(0, length - count)) + self
    }
}
