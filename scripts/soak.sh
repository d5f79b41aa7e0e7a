#!/usr/bin/env bash
# scripts/soak.sh MINUTES: the studio in tmux for MINUTES, one random action a second (sliders, sizes 128/160 px,
# layers, optimizer, restart, A/B, view), its resident memory sampled every 10 s. Prints the samples and a summary,
# and exits non-zero when the studio died or RSS at the end is over 1.25x its value at 5 minutes.
#   SOAK_ACTIONS=size   only size changes (128 <-> 160 px), the quickest way to see a plan that is not released
#   SOAK_LOG=FILE       where the samples go (default: soak-<time>.tsv in the temporary folder)
#   STYLESTUDIO_BIN     the binary (default: .build/release/stylestudio, built when missing)
set -euo pipefail
minutes="${1:?usage: scripts/soak.sh MINUTES}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v tmux >/dev/null || { echo "soak.sh needs tmux (scripts/setup.sh installs it)" >&2; exit 1; }
binary="${STYLESTUDIO_BIN:-$repository/.build/release/stylestudio}"
[[ -x "$binary" ]] || { build_release; binary="$repository/.build/release/stylestudio"; }
log="${SOAK_LOG:-${TMPDIR:-/tmp}/soak-$(date +%s).tsv}"
socket="stylestudio-soak-$$"
tmuxc() { tmux -L "$socket" "$@"; }
state="$(mktemp -d)"
trap 'tmuxc kill-server 2>/dev/null || true; rm -rf "$state"' EXIT

content="$repository/Assets/content/tubingen.png"
style="$repository/Assets/style/starry_night.png"
tmuxc new-session -d -s soak -x 120 -y 40 \
    "exec env TERM=xterm-256color XDG_CONFIG_HOME='$state' XDG_STATE_HOME='$state' '$binary' --size 128 --content '$content' --style '$style'"
tmuxc set-option -g remain-on-exit on >/dev/null
sleep 3
pid="$(tmuxc list-panes -t soak -F '#{pane_pid}')"
rss() { awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$pid/status" 2>/dev/null || echo 0; }
alive() { tmuxc list-panes -t soak -F '#{pane_dead}' 2>/dev/null | grep -qx 0; }
keys() { tmuxc send-keys -t soak "$@"; }

size=128
# The control panel's rows are read from the screen (the words after the panel's last │, from the focused first
# row down): rows were once hard-coded here and went stale when the paintings' rows were added, so the "size"
# action moved the TV slider and Enter on the "optimizer" row stepped the size up to 2048 px. Home goes to the
# first row from anywhere.
panel_rows() {
    tmuxc capture-pane -p -t soak | awk -F'│' 'NF >= 2 { row = $NF; sub(/^ +/, "", row); sub(/^›/, "", row);
        split(row, words, " "); if (words[1] != "") print words[1] }' | awk '$0 == "content" { on = 1 } on' |
        grep -v '^layer$'
}
panel_rows >"$state/rows" || true
row_of() { local line; line=$(grep -n -x -- "$1" "$state/rows" | head -1 | cut -d: -f1); echo $(( ${line:-0} - 1 )); }
size_row=$(row_of size); optimizer_row=$(row_of optimizer); first_layer_row=$(row_of block1_conv1)
if (( size_row < 0 || optimizer_row < 0 || first_layer_row < 0 )); then
    echo "soak: cannot find the size, optimizer and layer rows on the studio's screen:" >&2
    tmuxc capture-pane -p -t soak | head -30 >&2; exit 1
fi
echo "soak: rows: size $size_row, optimizer $optimizer_row, first layer $first_layer_row"
top() { keys Home; }
row() { top; for ((i = 0; i < $1; i++)); do keys Down; done; }
toggle_size() {
    row "$size_row"
    if [[ $size == 128 ]]; then keys Right; size=160; else keys Left; size=128; fi
}
# A layer box is switched and, the next time, switched back: a random walk over all the boxes would switch on
# ever more (and deeper) layers, and the plan would legitimately grow with them.
pending_layer=""
toggle_layer() {
    local layer="${pending_layer:-$((first_layer_row + RANDOM % 16))}"
    row "$layer"; keys x
    if [[ -n $pending_layer ]]; then pending_layer=""; else pending_layer="$layer"; fi
}
action() {
    if [[ "${SOAK_ACTIONS:-}" == size ]]; then toggle_size; return; fi
    case $((RANDOM % 9)) in
        0|1) toggle_size ;;
        2) row $((RANDOM % 3)); if ((RANDOM % 2)); then keys Right; else keys Left; fi ;;
        3) toggle_layer ;;                                            # a layer's box, and back next time
        4) row "$optimizer_row"; keys Enter ;;                        # the next optimizer
        5) keys r ;;                                                  # restart from the init image
        6) keys b; sleep 0.3; keys a ;;                               # keep as A, flip A/B
        7) keys v ;;                                                  # result alone / side by side
        8) keys Space; sleep 0.5; keys Space ;;                       # pause, resume
    esac
}

printf 'seconds\trss_mb\n' >"$log"
start=$SECONDS; next_sample=0; actions=0
first=""; at5=""; last=0; peak=0; wandered=0
echo "soak: $minutes min, studio pid $pid, samples in $log"
while (( SECONDS - start < minutes * 60 )); do
    alive || { echo "soak: the studio exited after $((SECONDS - start)) s" >&2; tmuxc capture-pane -p -t soak | tail -5 >&2; exit 1; }
    elapsed=$((SECONDS - start))
    if (( elapsed >= next_sample )); then
        last=$(rss); printf '%d\t%d\n' "$elapsed" "$last" | tee -a "$log"
        shown=$(tmuxc capture-pane -p -t soak | head -1 | grep -o '[0-9]* px' | head -1)
        [[ -z $shown || $shown == "128 px" || $shown == "160 px" ]] || { wandered=$((wandered + 1)); echo "soak: size $shown"; }
        [[ -z $first ]] && first=$last
        (( elapsed >= 300 )) && [[ -z $at5 ]] && at5=$last
        (( last > peak )) && peak=$last
        next_sample=$((next_sample + 10))
    fi
    action; actions=$((actions + 1))
    sleep 1
done
alive || { echo "soak: the studio exited" >&2; exit 1; }
echo "soak: the studio's header at the end (the size must still be 128 or 160 px):"
tmuxc capture-pane -p -t soak | head -2
last=$(rss); printf '%d\t%d\n' "$((SECONDS - start))" "$last" >>"$log"
keys q; sleep 1; keys n 2>/dev/null || true
# The ratio compares minute-long medians, the samples from 4:30 to 5:30 against the last minute's: one action moves
# RSS by ±25 MB for as long as its state lasts (128 or 160 px, Adam or L-BFGS and its history, a kept A image), so
# two single samples can differ by 1.3x with nothing growing (a 60-minute run: 202 MB at 5:00, 265 MB at the end;
# medians 223 and 246 MB). Runs shorter than 6 minutes compare the first sample.
median_between() {  # FROM TO (seconds): median RSS of the samples in [FROM, TO]
    awk -v from="$1" -v to="$2" 'NR > 1 && $1 >= from && $1 <= to { print $2 }' "$log" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
             else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
end_seconds=$((SECONDS - start))
if (( end_seconds >= 360 )); then
    reference=$(median_between 270 330); final=$(median_between $((end_seconds - 60)) "$end_seconds")
else
    reference=$first; final=$last
fi
ratio=$(awk -v a="$final" -v b="$reference" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
echo "soak summary: $minutes min, $actions actions; RSS first ${first} MB, at 5 min ${at5:-n/a} MB, end ${last} MB," \
     "peak ${peak} MB; medians: 4:30-5:30 ${reference} MB, last minute ${final} MB; ratio ${ratio} (limit 1.25)"
# A size outside 128/160 px means the actions hit the wrong rows: the figures would not be about the same work.
(( wandered == 0 )) || { echo "soak: the size left 128/160 px in $wandered samples" >&2; exit 1; }
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.25) }'
