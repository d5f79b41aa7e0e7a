#!/usr/bin/env bash
# Installs what is missing, builds in release and opens the studio (default images from Assets/).
#   scripts/studio.sh [stylestudio options]      e.g. --content photo.jpg --style painting.png
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash scripts/setup.sh
swift build -c release --product stylestudio -q 2>&1 | grep -v 'prohibited flag' || true
[[ -x .build/release/stylestudio ]] || { echo "studio: the build failed (see above)" >&2; exit 1; }
exec .build/release/stylestudio "$@"
