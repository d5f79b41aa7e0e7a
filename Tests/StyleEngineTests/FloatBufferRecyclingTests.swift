import Foundation
@testable import StyleEngine
import Testing

/// `FloatBuffer.recycling`: inside it a freed large buffer's pages stay mapped and go to the next buffer that
/// fits, zeroed. (Sizes are odd so that buffers other tests free at the same time never fit better.)
@Suite("Float buffers recycled while a run is planned", .serialized)
struct FloatBufferRecyclingTests {
    static let count = 1_234_567  // about 4.9 MB: mapped

    @Test func aFreedBufferIsReusedZeroedInsideTheScope() {
        FloatBuffer.recycling {
            var first: FloatBuffer? = FloatBuffer(count: Self.count)
            let address = first!.pointer
            first!.pointer.update(repeating: 7, count: Self.count)
            first = nil
            let second = FloatBuffer(count: Self.count - 1000)  // fits closely: takes the freed pages
            #expect(second.pointer == address)
            #expect(UnsafeBufferPointer(start: second.pointer, count: second.count).allSatisfy { $0 == 0 })
        }
    }

    /// Scratch (`zeroed: false`) takes a recycled mapping as its last owner left it: zeroing would touch, and
    /// so commit, pages the scratch may never use. A fresh mapping is zero either way.
    @Test func scratchTakesARecycledMappingAsItIs() {
        FloatBuffer.recycling {
            var first: FloatBuffer? = FloatBuffer(count: Self.count + 3)
            let address = first!.pointer
            first!.pointer.update(repeating: 7, count: Self.count + 3)
            first = nil
            let scratch = FloatBuffer(count: Self.count + 2, zeroed: false)
            #expect(scratch.pointer == address)
            #expect(scratch[0] == 7 && scratch[Self.count + 1] == 7)
        }
        let fresh = FloatBuffer(count: Self.count + 5, zeroed: false)
        #expect(UnsafeBufferPointer(start: fresh.pointer, count: fresh.count).allSatisfy { $0 == 0 })
    }

    @Test func aMuchSmallerBufferDoesNotTakeALargeMapping() {
        FloatBuffer.recycling {
            var large: FloatBuffer? = FloatBuffer(count: 4 * Self.count)
            let address = large!.pointer
            large = nil
            let small = FloatBuffer(count: Self.count)
            #expect(small.pointer != address, "a 4 MB buffer holding a 16 MB mapping")
        }
    }

    /// A buffer larger than every kept mapping takes the largest one grown (its committed pages reused, not
    /// faulted in again): scratch finds what the last owner left, followed by fresh zero pages.
    @Test func aLargerBufferGrowsAFreedSmallerMapping() {
        FloatBuffer.recycling {
            var small: FloatBuffer? = FloatBuffer(count: Self.count)
            small!.pointer.update(repeating: 7, count: Self.count)
            let address = UnsafeMutableRawPointer(small!.pointer)
            small = nil
            #expect(FloatBuffer.isKeptForRecycling(address))
            let larger = FloatBuffer(count: 2 * Self.count, zeroed: false)
            #expect(!FloatBuffer.isKeptForRecycling(address), "kept beside a larger buffer: the pool adds to the peak")
            #expect(larger.count == 2 * Self.count)
            #expect(larger[0] == 7 && larger[Self.count - 1] == 7, "the freed buffer's pages did not come along")
            #expect(UnsafeBufferPointer(start: larger.pointer + Self.count, count: Self.count).allSatisfy { $0 == 0 })
        }
    }

    /// A zeroed buffer on a grown mapping is zero throughout, and only the part the last owner had is cleared:
    /// the added pages stay untouched (not resident) until used.
    @Test func aGrownMappingIsZeroedOnlyWhereItWasUsed() {
        FloatBuffer.recycling {
            var small: FloatBuffer? = FloatBuffer(count: Self.count)
            small!.pointer.update(repeating: 7, count: Self.count)
            small = nil
            let larger = FloatBuffer(count: 3 * Self.count)
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let lastPage = UnsafeMutableRawPointer(larger.pointer + larger.count - 1)
            let lastPageStart = UnsafeMutableRawPointer(bitPattern: Int(bitPattern: lastPage) / page * page)!
            var resident = [UInt8](repeating: 0, count: 1)
            #expect(mincore(lastPageStart, page, &resident) == 0 && resident[0] & 1 == 0,
                    "the added pages were touched when the buffer was made")
            #expect(UnsafeBufferPointer(start: larger.pointer, count: larger.count).allSatisfy { $0 == 0 })
        }
    }

    /// Each scope has its own pool: a mapping another thread's scope frees, of the very size wanted here, is not
    /// taken (nor seen) by this one.
    @Test func scopesOnOtherThreadsKeepTheirOwnPools() {
        final class Shared: @unchecked Sendable {  // written before `freed` is signalled, read after
            var address: UInt = 0
            let freed = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        }
        let shared = Shared()
        FloatBuffer.recycling {
            Thread.detachNewThread {
                FloatBuffer.recycling {
                    var other: FloatBuffer? = FloatBuffer(count: Self.count + 7)
                    shared.address = UInt(bitPattern: other!.pointer)
                    other = nil
                    shared.freed.signal()
                    shared.finished.wait()
                }
            }
            shared.freed.wait()
            let mine = FloatBuffer(count: Self.count + 7)
            #expect(UInt(bitPattern: mine.pointer) != shared.address, "took another scope's mapping")
            #expect(!FloatBuffer.isKeptForRecycling(UnsafeMutableRawPointer(bitPattern: shared.address)!))
            shared.finished.signal()
        }
    }

    @Test func aFreedBufferStaysMappedUntilTheScopeEnds() {
        FloatBuffer.recycling {
            var buffer: FloatBuffer? = FloatBuffer(count: Self.count)
            let address = UnsafeMutableRawPointer(buffer!.pointer)
            buffer = nil
            var resident = [UInt8](repeating: 0, count: 1)
            #expect(mincore(address, 4096, &resident) == 0, "the freed buffer was unmapped inside the scope")
        }
    }
}
