#!/usr/bin/env bash
# Installs what is missing (Debian packages, tmux, the weights), builds in release and runs every test:
# engine kernels against naive twins and finite differences, the engine against the PyTorch reference,
# image I/O, presets, the studio's state, and end-to-end runs of the real program (CLI and the studio
# in tmux). Works with no terminal and no standard input (CI).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash scripts/setup.sh </dev/null
echo "test: building (release)…"
# A build folder of its own: -enable-testing must not mix with the product's release build.
export STYLESTUDIO_BIN="$repository/.build-testing/release/stylestudio"
log="$(mktemp)"
# The tests cache in a folder of this run's own (`make_test_cache`; XDG_CACHE_HOME for `swift test` only, the builds
# keep SwiftPM's).
test_cache="$(make_test_cache)"
trap 'rm -f "$log"; rm -rf "$test_cache"' EXIT
if ! swift build -c release -Xswiftc -enable-testing --scratch-path .build-testing --build-tests >"$log" 2>&1; then
    grep -vE '^\[[0-9]+/[0-9]+\]|prohibited flag' "$log" >&2
    echo "test: the build failed" >&2
    exit 1
fi
echo "test: running (BLAS core ${OPENBLAS_CORETYPE:-default})…"
set +e
XDG_CACHE_HOME="$test_cache" swift test -c release -Xswiftc -enable-testing --scratch-path .build-testing --skip-build "$@" \
    </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
total=$(grep -oE 'Test run with [0-9]+ tests?' "$log" | grep -oE '[0-9]+' | tail -1)
failed=$(grep -oE 'Test [^ ].* failed after' "$log" | grep -vc '^Test run' || true)
# Fuzzing smoke: each libFuzzer harness of Fuzz/ for FUZZ_SECONDS (20) with AddressSanitizer; a finding fails the
# run. STYLESTUDIO_SKIP_FUZZ=1 leaves it out (the sanitizer build of the whole project takes several minutes).
if [[ -z "${STYLESTUDIO_SKIP_FUZZ:-}" ]]; then
    echo "test: fuzzing smoke (${FUZZ_SECONDS:-20} s a target)…"
    if ! bash scripts/fuzz.sh all "${FUZZ_SECONDS:-20}"; then
        echo "test: a fuzzer found a problem (reproducers in Fuzz/Findings/)" >&2
        [[ -n "$total" ]] && total=$((total + 1)) && failed=$((failed + 1))
        status=1
    fi
fi
# One plain closing line (Swift Testing's summary also stands above, after XCTest's empty one).
if [[ -n "$total" ]]; then
    echo "tests: $((total - failed)) passed, $failed failed"
fi
exit "$status"
