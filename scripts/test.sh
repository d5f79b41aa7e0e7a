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
swift build -c release -Xswiftc -enable-testing --scratch-path .build-testing --build-tests 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]|prohibited flag|^Building|^Compiling|^Write' || true
echo "test: running (BLAS core ${OPENBLAS_CORETYPE:-default})…"
exec swift test -c release -Xswiftc -enable-testing --scratch-path .build-testing --skip-build "$@" </dev/null
