#!/usr/bin/env bash
# Style Studio set-up: the Debian packages the build needs, the VGG19 weights, and a check for Swift.
#
#   scripts/setup.sh [fetch-weights.py options]      (as root, or as a user with password-less sudo)
#
# Safe to run again: packages already installed are not touched (no network needed then), and the
# weights are not fetched again when a verified file is already there. Non-interactive (no terminal or
# stdin needed). Quiet when everything is present.
set -euo pipefail

script_folder="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(libncursesw5-dev libchafa-dev libglib2.0-dev libopenblas-dev libpng-dev libjpeg-dev
          ncurses-term tmux python3)
# Time-lapses (animated WebP, GIF with libimagequant palettes), contact-sheet labels (libgd's built-in
# fonts), sha256 for run manifests (libcrypto); the tests check animations with webpinfo and gifsicle and
# farm a sweep out with GNU parallel.
packages+=(libwebp-dev libgif-dev libimagequant-dev libgd-dev libssl-dev webp gifsicle parallel)

fail() {
    echo "setup: error: $*" >&2
    exit 1
}

# --- Debian packages ---------------------------------------------------------------------------
command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 ||
    fail "dpkg-query/apt-get not found: this script needs Debian or Ubuntu; install by hand: ${packages[*]}"

missing=()
for package in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1 </dev/null; then
    missing+=(python3-pip)
fi

if ((${#missing[@]} > 0)); then
    if [[ "$(id -u)" -eq 0 ]]; then
        as_root=(env DEBIAN_FRONTEND=noninteractive)
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null </dev/null; then
        as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
    else
        fail "missing packages: ${missing[*]}; run this script as root (or with sudo) to install them"
    fi
    echo "setup: installing ${missing[*]} ..."
    "${as_root[@]}" apt-get update -qq </dev/null >/dev/null ||
        fail "apt-get update failed (network? sources.list?)"
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null ||
        fail "apt-get install ${missing[*]} failed"
fi
hash -r
python3 -m pip --version >/dev/null 2>&1 </dev/null ||
    fail "python3 -m pip still does not work for $(command -v python3); install pip for that Python"

# --- VGG19 weights -----------------------------------------------------------------------------
# Run as the user who called sudo, so the weights land in their cache, not root's.
fetch=(python3 "$script_folder/fetch-weights.py" "$@")
if [[ "$(id -u)" -eq 0 && -n "${SUDO_USER:-}" && "${SUDO_USER}" != root ]]; then
    fetch=(sudo -n -H -u "$SUDO_USER" "$(command -v python3)" "$script_folder/fetch-weights.py" "$@")
fi
"${fetch[@]}" </dev/null || exit 1

# --- Swift -------------------------------------------------------------------------------------
if ! command -v swift >/dev/null 2>&1; then
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        echo "setup: note: swift is in /opt/swift/usr/bin but not on PATH; add it:" \
             "export PATH=/opt/swift/usr/bin:\$PATH"
    else
        fail "swift not found: install Swift 6 for Debian 12 from https://www.swift.org/install/linux/" \
             "(unpack the tarball so that /opt/swift/usr/bin/swift exists, then export PATH=/opt/swift/usr/bin:\$PATH)"
    fi
fi
