#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-OPTION...]: builds one libFuzzer harness of Fuzz/ with AddressSanitizer
# and runs it for SECONDS on its seed corpus (Fuzz/Corpus/TARGET, read only) plus a working corpus in
# .build-fuzz/corpus/TARGET. TARGET: png, jpeg, safetensors, preset, layers.
# Exits non-zero on a finding (crash, trap, sanitizer report, leak, timeout); the reproducer is saved in
# Fuzz/Findings/TARGET-crash-… (replay it with: .build-fuzz/release/fuzz-TARGET FILE).
set -euo pipefail
usage() { echo "usage: scripts/fuzz.sh png|jpeg|safetensors|preset|layers SECONDS [libFuzzer options]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target="$1"; seconds="$2"; shift 2
case "$target" in png|jpeg|safetensors|preset|layers) ;; *) usage ;; esac
[[ "$seconds" =~ ^[0-9]+$ ]] || usage
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scratch="$repository/.build-fuzz"
mkdir -p "$scratch/corpus/$target" "$repository/Fuzz/Findings"
# Swift's -sanitize=fuzzer links libFuzzer's own main beside SwiftPM's; only lld resolves that (gold crashes).
swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
printf '{ "schemaVersion": "1.0", "linker": { "path": "%s/ld.lld" } }\n' "$swift_bin" >"$scratch/toolset.json"
echo "fuzz.sh: building fuzz-$target (AddressSanitizer + libFuzzer coverage)" >&2
(cd "$repository/Fuzz" && swift build -c release --scratch-path "$scratch" --toolset "$scratch/toolset.json" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
    --product "fuzz-$target" -j "${FUZZ_BUILD_JOBS:-1}" 2>&1 |
    grep -vE '^\[[0-9]+/[0-9]+\]|prohibited flag|Cannot export local symbol|^Building|^Build complete' || true)
binary="$scratch/release/fuzz-$target"
[[ -x "$binary" ]] || { echo "fuzz.sh: the build of fuzz-$target failed" >&2; exit 1; }

echo "fuzz.sh: running fuzz-$target for $seconds s" >&2
set +e
"$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=3072 \
    -artifact_prefix="$repository/Fuzz/Findings/$target-" "$@" \
    "$scratch/corpus/$target" "$repository/Fuzz/Corpus/$target" 2>"$scratch/$target.log"
status=$?
set -e
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|Done [0-9]+ runs|^==[0-9]+==ERROR|SUMMARY|Test unit written|artifact' \
    "$scratch/$target.log" >&2 || true
if [[ $status -ne 0 ]]; then
    echo "fuzz.sh: fuzz-$target found a problem (exit $status); log: $scratch/$target.log" >&2
    exit 1
fi
echo "fuzz.sh: fuzz-$target: no finding" >&2
