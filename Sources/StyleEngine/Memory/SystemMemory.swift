import CGlibcMemory
import Foundation

/// glibc's memory calls that Swift's Glibc module does not export (the one file that imports `CGlibcMemory`):
/// the allocator's controls, which StudioCore's `AllocatorPolicy` sets, and growing a mapping, which
/// `FloatBuffer`'s recycling uses.
public enum SystemMemory {
    /// Blocks of `bytes` and more are always mapped, and unmapped when freed (a fixed threshold also turns off
    /// glibc's raising it to the size of every mapped block that is freed).
    public static func setMappingThreshold(bytes: Int) {
        _ = shim_set_mmap_threshold(Int32(clamping: bytes))
    }

    /// Returns the free pages inside every heap arena to the system.
    public static func releaseFreedHeapMemory() {
        _ = shim_malloc_trim()
    }

    /// The mapping of `oldBytes` at `address` made `newBytes` long (`mremap`, which may move it: its pages go
    /// along and keep what they hold, nothing is copied; the added pages are fresh zero pages), or nil, the old
    /// mapping left as it was, when the kernel refuses.
    static func growMapping(_ address: UnsafeMutableRawPointer, from oldBytes: Int, to newBytes: Int)
        -> UnsafeMutableRawPointer? {
        guard let grown = shim_mremap_may_move(address, oldBytes, newBytes), grown != MAP_FAILED else { return nil }
        return grown
    }
}
