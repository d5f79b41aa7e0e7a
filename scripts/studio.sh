#!/usr/bin/env bash
# Installs what is missing, builds in release and opens the studio (default images from Assets/).
#   scripts/studio.sh [stylestudio options]      e.g. --content photo.jpg --style painting.png
# Runs from any folder: paths on the command line are taken from where you are, and results are saved
# there (the script does not change folder; it builds with --package-path).
set -euo pipefail
here="$PWD"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"  # the build's options; it moves to the repository: move back
cd "$here"
bash "$repository/scripts/setup.sh"

binary="$repository/.build/release/stylestudio"
[[ -x "$binary" ]] || echo "studio: building Style Studio in release; the first build takes a few minutes..." >&2
# Show the build's progress on one line ([step/steps] what), and anything else (errors) as it comes.
status_line=false
failed=false
while IFS= read -r line; do
    case "$line" in
        *"prohibited flag"*|*"libFoundationEssentials.a"*"mktemp"*) ;;  # see common.sh's release_build_options
        "["[0-9]*"/"[0-9]*"]"*)
            if [[ -t 2 ]]; then printf '\r\033[Kstudio: build %s' "${line:0:$(( ${COLUMNS:-80} - 16 ))}" >&2; status_line=true
            else echo "studio: build $line" >&2; fi ;;
        *)
            if $status_line; then printf '\r\033[K' >&2; status_line=false; fi
            [[ "$line" == "studio: the build failed" ]] && failed=true
            echo "$line" >&2 ;;
    esac
done < <(swift build "${release_build_options[@]}" --package-path "$repository" 2>&1 || echo "studio: the build failed")
if $status_line; then printf '\r\033[K' >&2; fi
if $failed || [[ ! -x "$binary" ]]; then echo "studio: the build failed (see above)" >&2; exit 1; fi
exec "$binary" "$@"
