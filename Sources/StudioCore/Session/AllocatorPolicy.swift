import StyleEngine

/// How the process hands freed memory back, so that replanning for another size (or other images) over and over
/// keeps the resident size flat. The engine's big buffers are mapped and unmapped directly (`FloatBuffer`); what
/// grew was everything between glibc's default 128 KiB mapping threshold and 1 MiB (im2col columns, image rows,
/// resized images, preview conversions): glibc raises its mapping threshold to the size of every mapped block that
/// is freed, after which such blocks come from the heap arenas and stay there, fragmented, after they are freed.
public enum AllocatorPolicy {
    /// A fixed mapping threshold (setting it turns glibc's dynamic raising off): blocks from 256 KiB on are always
    /// mapped, and unmapped when freed. Call once, first thing.
    public static func configure() {
        SystemMemory.setMappingThreshold(bytes: 256 * 1024)
    }

    /// Returns the free pages inside every arena to the system (after a replan freed a whole plan's worth).
    public static func releaseFreedMemory() {
        SystemMemory.releaseFreedHeapMemory()
    }
}
