#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-OPTION...]: builds one libFuzzer harness of Fuzz/ with AddressSanitizer
# and runs it for SECONDS on its seed corpus (Fuzz/Corpus/TARGET, read only) plus a working corpus in
# .build-fuzz/corpus/TARGET. TARGET: png, jpeg, safetensors, preset, layers, or all (one build, each in turn:
# the CI smoke in scripts/test.sh).
# Exits non-zero on a finding (crash, trap, sanitizer report, leak, timeout); the reproducer is saved in
# Fuzz/Findings/TARGET-crash-… (replay it with: .build-fuzz/release/fuzz-TARGET FILE).
set -euo pipefail
usage() { echo "usage: scripts/fuzz.sh png|jpeg|safetensors|preset|layers|all SECONDS [libFuzzer options]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target="$1"; seconds="$2"; shift 2
case "$target" in png|jpeg|safetensors|preset|layers|all) ;; *) usage ;; esac
[[ "$seconds" =~ ^[0-9]+$ ]] || usage
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scratch="$repository/.build-fuzz"
mkdir -p "$repository/Fuzz/Findings" "$scratch"
# Swift's -sanitize=fuzzer links libFuzzer's own main beside SwiftPM's; only lld resolves that (gold crashes).
swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
printf '{ "schemaVersion": "1.0", "linker": { "path": "%s/ld.lld" } }\n' "$swift_bin" >"$scratch/toolset.json"
echo "fuzz.sh: building fuzz-$target (AddressSanitizer + libFuzzer coverage)" >&2
# A failed build stops here: the harnesses of an earlier build must never be run as if they were this source's.
set +e
(cd "$repository/Fuzz" && swift build -c release --scratch-path "$scratch" --toolset "$scratch/toolset.json" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
    $([[ $target == all ]] || echo --product "fuzz-$target") -j "${FUZZ_BUILD_JOBS:-1}") >"$scratch/build.log" 2>&1
build_status=$?
set -e
grep -vE '^\[[0-9]+/[0-9]+\]|prohibited flag|Cannot export local symbol|^Building|^Build complete|^(Updat|Comput)' \
    "$scratch/build.log" >&2 || true
[[ $build_status -eq 0 ]] || { echo "fuzz.sh: the build failed (exit $build_status; log: $scratch/build.log)" >&2; exit 1; }
run_one() {
    local name="$1" binary="$scratch/release/fuzz-$1"
    [[ -x "$binary" ]] || { echo "fuzz.sh: the build of fuzz-$name failed" >&2; return 1; }
    mkdir -p "$scratch/corpus/$name"
    echo "fuzz.sh: running fuzz-$name for $seconds s" >&2
    set +e
    # Swift's own backtracer would catch the trap first (and trip ASan reading memory); libFuzzer reports it.
    # libFuzzer's -timeout is wall-clock time: 60 s (FUZZ_TIMEOUT), because on a loaded machine an input that takes
    # 0.4 CPU seconds (a 262-byte JPEG declaring 4353x2048 pixels, under ASan and coverage) took 12 s of wall time.
    SWIFT_BACKTRACE=enable=no "$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout="${FUZZ_TIMEOUT:-60}" -rss_limit_mb=3072 \
        -artifact_prefix="$repository/Fuzz/Findings/$name-" "${options[@]}" \
        "$scratch/corpus/$name" "$repository/Fuzz/Corpus/$name" 2>"$scratch/$name.log"
    local status=$?
    set -e
    grep -E '^stat::number_of_executed_units|^==[0-9]+==ERROR|^SUMMARY|Test unit written' "$scratch/$name.log" >&2 || true
    if [[ $status -ne 0 ]]; then
        echo "fuzz.sh: fuzz-$name found a problem (exit $status); log: $scratch/$name.log" >&2
        return 1
    fi
    echo "fuzz.sh: fuzz-$name: no finding" >&2
}
options=("$@")
failed=0
for name in $([[ $target == all ]] && echo png jpeg safetensors preset layers || echo "$target"); do
    run_one "$name" || failed=1
done
exit "$failed"
