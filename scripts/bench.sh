#!/usr/bin/env bash
# Side-by-side speed and memory: the engine's own benchmark, and (when PEER_PYTHON points at a Python with
# torch; PEER_SCRIPT names the yardstick script, by default ../shared/peer/gatys_torch.py) the PyTorch yardstick on the same images, sizes and settings,
# alternating A B A B. Prints medians and ratios; the raw JSON lines go to bench-results.jsonl.
#   PEER_PYTHON=/path/to/venv/bin/python scripts/bench.sh [SIZE ...]      (default sizes: 256 512)
# Environment: ROUNDS (default 2), ITERATIONS (timed iterations per run, default 8); STYLESTUDIO_BIN (a
# binary to measure instead of building .build/release/stylestudio); BASELINE_BIN (another build of this
# program, e.g. before a change, measured in the same alternation and reported as "baseline").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
sizes=("$@"); ((${#sizes[@]})) || sizes=(256 512)
rounds=${ROUNDS:-2}
iterations=${ITERATIONS:-8}
peer_script="${PEER_SCRIPT:-$repository/../shared/peer/gatys_torch.py}"
weights="${XDG_CACHE_HOME:-$HOME/.cache}/stylestudio/vgg19.safetensors"
content="$repository/Assets/content/tubingen.png"
style="$repository/Assets/style/starry_night.png"
results="$repository/bench-results.jsonl"
: >"$results"

if [[ -n "${STYLESTUDIO_BIN:-}" ]]; then
    binary="$STYLESTUDIO_BIN"
else
    bash scripts/setup.sh </dev/null
    build_release
    binary="$repository/.build/release/stylestudio"
fi

run_ours() {  # size [binary] -> JSON line
    "${2:-$binary}" bench --size "$1" --iterations "$iterations" --warmup 2 --content "$content" --style "$style" --json
}

run_peer() {  # size -> JSON line {"median_seconds", "peak_memory_bytes"}
    local log peak
    log=$(mktemp); peak=$(mktemp)
    /usr/bin/time -f "%M" -o "$peak" "$PEER_PYTHON" "$peer_script" --weights "$weights" --content "$content" \
        --style "$style" --out /tmp/stylestudio-peer.png --size "$1" --iters $((iterations + 2)) --threads 2 >"$log" 2>&1
    python3 - "$log" "$peak" "$1" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
rows = [float(m.group(1)) for m in re.finditer(r"^\s*\d+\s+\S+\s+\S+\s+\S+\s+\S+\s+([0-9.]+)\s", text, re.M)]
timed = sorted(rows[2:]) or sorted(rows)
n = len(timed)
median = timed[n // 2] if n % 2 else (timed[n // 2 - 1] + timed[n // 2]) / 2
print(json.dumps({"who": "pytorch", "size": int(sys.argv[3]), "median_seconds": median,
                  "peak_memory_bytes": int(open(sys.argv[2]).read().split()[-1]) * 1024}))
PY
    rm -f "$log" "$peak"
}

for size in "${sizes[@]}"; do
    for round in $(seq "$rounds"); do
        echo "bench: size $size, round $round: Style Studio…" >&2
        run_ours "$size" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d["who"]="stylestudio"; print(json.dumps(d))' >>"$results"
        if [[ -n "${BASELINE_BIN:-}" ]]; then
            echo "bench: size $size, round $round: baseline…" >&2
            run_ours "$size" "$BASELINE_BIN" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d["who"]="baseline"; print(json.dumps(d))' >>"$results"
        fi
        if [[ -n "${PEER_PYTHON:-}" && -f "$peer_script" ]]; then
            echo "bench: size $size, round $round: PyTorch…" >&2
            run_peer "$size" >>"$results"
        fi
    done
done

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print(f"{'size':>5} {'who':>12} {'s/iteration (median of runs)':>30} {'peak MB':>9} {'runs':>5}  other load (median share of the cores)")
for size in sorted({r["size"] for r in rows}):
    summary = {}
    for who in ("stylestudio", "baseline", "pytorch"):
        runs = [r for r in rows if r["size"] == size and r["who"] == who]
        if not runs: continue
        seconds = statistics.median(r["median_seconds"] for r in runs)
        peak = max(r["peak_memory_bytes"] for r in runs) / 1e6
        summary[who] = (seconds, peak)
        each = ", ".join(f"{r['median_seconds']:.3f}" for r in runs)
        load = ", ".join(f"{r['foreign_cpu_share_median']:.0%}" for r in runs if r.get("foreign_cpu_share_median") is not None)
        print(f"{size:>5} {who:>12} {seconds:>12.3f}  ({each}) {peak:>9.0f} {len(runs):>5}  {load}")
    for other in ("baseline", "pytorch"):
        if "stylestudio" in summary and other in summary:
            (a, am), (b, bm) = summary["stylestudio"], summary[other]
            print(f"{size:>5} {'vs ' + other:>12} {a / b:>12.2f}× time, {am / bm:.2f}× peak memory")
    cpu = {who: statistics.median(r["median_cpu_seconds"] for r in rows if r["size"] == size and r["who"] == who)
           for who in ("stylestudio", "baseline") if any(r["size"] == size and r["who"] == who and "median_cpu_seconds" in r for r in rows)}
    for who, seconds in cpu.items():
        print(f"{size:>5} {who:>12} {seconds:>12.3f}  CPU seconds per iteration, all cores (median of runs)")
    if len(cpu) == 2:
        print(f"{size:>5} {'vs baseline':>12} {cpu['stylestudio'] / cpu['baseline']:>12.2f}× CPU time")
PY
