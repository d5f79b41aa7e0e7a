import SafeIO
import Testing

/// Libraries opened when first needed: the first name that opens, its functions by name, one error naming them all.
@Suite("Shared libraries opened at run time")
struct SharedLibraryTests {
    @Test func theFirstNameThatOpensGivesItsFunctions() throws {
        let library = try SharedLibrary(firstOf: ["libstylestudio-none.so.9", "libm.so.6"])
        let cosine: (@convention(c) (Double) -> Double)? = library.function("cos")
        #expect(cosine?(0) == 1)
        #expect(library.function("stylestudio_no_such_function", as: (@convention(c) () -> Void).self) == nil)
    }

    @Test func noNameOpensIsOneErrorNamingThem() {
        let error = #expect(throws: SharedLibraryError.self) {
            try SharedLibrary(firstOf: ["libstylestudio-a.so", "libstylestudio-b.so"])
        }
        #expect(error?.description.hasPrefix("cannot open libstylestudio-a.so or libstylestudio-b.so: ") == true)
    }
}
