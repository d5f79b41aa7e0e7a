#!/usr/bin/env bash
# scripts/sanitize.sh [address] [thread]: the whole test suite under AddressSanitizer, then under ThreadSanitizer
# (default: both), each in a build folder of its own (.build-asan, .build-tsan), the end-to-end tests driving the
# sanitized binary. Extra arguments after `--` go to `swift test` (e.g. `-- --filter DataSafety`).
# Exits non-zero when a build fails, a test fails or a sanitizer reports anything.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
kinds=(); passthrough=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        address|thread) kinds+=("$1") ;;
        --) shift; passthrough=("$@"); break ;;
        *) echo "usage: scripts/sanitize.sh [address] [thread] [-- swift test options]" >&2; exit 2 ;;
    esac
    shift
done
[[ ${#kinds[@]} -gt 0 ]] || kinds=(address thread)
overall=0
test_cache="$(make_test_cache)"  # the tests' caches, not the user's (common.sh)
trap 'rm -rf "$test_cache"' EXIT
for kind in "${kinds[@]}"; do
    scratch="$repository/.build-${kind:0:1}san"
    log="$scratch.log"
    echo "sanitize: building the tests with -sanitize=$kind (into $scratch)"
    if ! swift build -c release -Xswiftc -enable-testing --sanitize="$kind" --scratch-path "$scratch" --build-tests \
            -j "${SANITIZE_BUILD_JOBS:-1}" >"$log" 2>&1; then
        grep -vE '^\[[0-9]+/[0-9]+\]|prohibited flag' "$log" | tail -30 >&2
        echo "sanitize: the $kind build failed" >&2; overall=1; continue
    fi
    echo "sanitize: running the tests under $kind"
    # Every process's reports go to files (log_path): the end-to-end tests run the sanitized stylestudio as a child,
    # often inside tmux, where a report on its stderr would never reach this log.
    reports_dir="$scratch/reports"
    rm -rf "$reports_dir"; mkdir -p "$reports_dir"
    suppressions="$repository/scripts/sanitizers/$kind.supp"
    set +e
    # halt_on_error: the first report fails the run; detect_leaks off (the Swift runtime's caches live forever).
    XDG_CACHE_HOME="$test_cache" STYLESTUDIO_BIN="$scratch/release/stylestudio" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=0}:log_path=$reports_dir/report" \
    TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}:log_path=$reports_dir/report$(
        [[ -f $suppressions ]] && echo ":suppressions=$suppressions")" \
        swift test -c release -Xswiftc -enable-testing --sanitize="$kind" --scratch-path "$scratch" --skip-build \
        "${passthrough[@]}" </dev/null >>"$log" 2>&1
    status=$?
    set -e
    cat "$reports_dir"/report* >>"$log" 2>/dev/null || true
    reports=$(cat "$reports_dir"/report* 2>/dev/null | grep -cE '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer)' || true)
    total=$(grep -oE 'Test run with [0-9]+ tests?' "$log" | grep -oE '[0-9]+' | tail -1)
    failed=$(grep -oE 'Test [^ ].* failed after' "$log" | grep -vc '^Test run' || true)
    echo "sanitize ($kind): ${total:-?} tests, $failed failed, $reports sanitizer reports, exit $status (log: $log)"
    grep -E -A12 '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer)' "$reports_dir"/report* 2>/dev/null | head -60 || true
    [[ $status -eq 0 && $reports -eq 0 ]] || overall=1
done
exit "$overall"
