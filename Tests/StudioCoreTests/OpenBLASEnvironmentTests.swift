import StudioCore
import Testing

@Suite("What the program sets before OpenBLAS loads")
struct OpenBLASEnvironmentTests {
    static let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]

    @Test("nothing is left to OpenBLAS's defaults: core type on AVX-512, one thread everywhere")
    func freshEnvironment() {
        #expect(OpenBLASEnvironment.settings(environment: [:], cpuFlags: Self.avx512)
                == ["OPENBLAS_CORETYPE": "SkylakeX", "OPENBLAS_NUM_THREADS": "1"])
        #expect(OpenBLASEnvironment.settings(environment: [:], cpuFlags: Self.avx512.union(["avx512_bf16"]))
                == ["OPENBLAS_CORETYPE": "Cooperlake", "OPENBLAS_NUM_THREADS": "1"])
        // AVX2 only: OpenBLAS's own kernel choice stays, its idle thread pool does not.
        #expect(OpenBLASEnvironment.settings(environment: [:], cpuFlags: ["avx2", "fma"]) == ["OPENBLAS_NUM_THREADS": "1"])
    }

    @Test("what the user or the scripts set is kept; a thread count other than 1 is replaced")
    func presetEnvironment() {
        let scripts = ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1"]
        #expect(OpenBLASEnvironment.settings(environment: scripts, cpuFlags: Self.avx512).isEmpty)
        #expect(OpenBLASEnvironment.settings(environment: ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "8"],
                                            cpuFlags: Self.avx512) == ["OPENBLAS_NUM_THREADS": "1"])
    }
}
