#!/usr/bin/env bash
# A hash of what the release build compiles (src/, vendor/, Cargo.toml,
# Cargo.lock): pgo/train.sh keeps the one its profile was made from in
# pgo/source-hash, and bench/run.sh says when the code has moved on since.
set -euo pipefail
cd "$(dirname "$0")/.."
find src vendor Cargo.toml Cargo.lock -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
