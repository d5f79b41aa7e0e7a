# Shared by the scripts in scripts/ (sourced, not run).
repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repository"
[[ -x /opt/swift/usr/bin/swift ]] && ! command -v swift >/dev/null 2>&1 && export PATH="/opt/swift/usr/bin:$PATH"

# OpenBLAS picks its kernels and starts its threads when the library loads. The stylestudio binary sets
# OPENBLAS_CORETYPE on AVX-512 CPUs and OPENBLAS_NUM_THREADS=1 before it opens the library (OpenBLASEnvironment);
# test runners do not, so the scripts set both the same way.
export OPENBLAS_NUM_THREADS=1
if [[ -z "${OPENBLAS_CORETYPE:-}" ]] && grep -qw avx512f /proc/cpuinfo 2>/dev/null &&
   grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo; then
    if grep -qw avx512_bf16 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Cooperlake; else export OPENBLAS_CORETYPE=SkylakeX; fi
fi

# How the program is built for people (studio.sh, bench.sh, soak.sh; the tests build their own in .build-testing).
# The Swift runtime and Foundation linked in: the dynamic loader no longer loads and binds their 14 libraries at
# every launch, 4 ms of a 256 px start (launch to exit of a `render` with a missing photo, `perf stat -r 40`:
# 12.8 -> 8.9 ms). Building the same folder without the option afterwards rebuilds it (about a minute). The static
# Foundation brings a linker warning about the mktemp in Foundation's own code, which the scripts leave out.
release_build_options=(-c release --product stylestudio --static-swift-stdlib)

build_release() {
    swift build "${release_build_options[@]}" 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]|prohibited flag|libFoundationEssentials\.a.*mktemp' || true
    [[ -x .build/release/stylestudio ]] || { echo "build failed" >&2; exit 1; }
}

# A cache folder for a test run of its own (printed), to be given to `swift test` as XDG_CACHE_HOME: the tests cache
# what they cache (the statistics of the paintings they use, a few dozen) there, so that a developer's cache of
# paintings keeps its own; the weights and their prepared kernels are linked in from the user's cache, where
# setup.sh put them. The caller removes it.
make_test_cache() {
    local user_cache="${XDG_CACHE_HOME:-$HOME/.cache}" folder kept
    case "$user_cache" in /*) ;; *) user_cache="$HOME/.cache" ;; esac
    folder="$(mktemp -d)"
    mkdir -p "$folder/stylestudio"
    for kept in vgg19.safetensors vgg19.safetensors.prepared; do
        if [[ -e "$user_cache/stylestudio/$kept" ]]; then
            ln -s "$user_cache/stylestudio/$kept" "$folder/stylestudio/$kept"
        fi
    done
    echo "$folder"
}
