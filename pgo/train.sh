#!/usr/bin/env bash
# Make the release build's optimization profile, pgo/nashra.profdata (see
# pgo/rustc-wrapper and docs/performance.md):
#
#   pgo/train.sh [WORKDIR]        (default /tmp/nashra-pgo)
#
# Builds nashra instrumented (in WORKDIR, not target/), runs it on a training
# workload, and merges what it counted with the toolchain's llvm-profdata
# (`rustup component add llvm-tools`, fetched here when missing). The
# workload: a full build of a 1,000-pair corpus of ../shared/bench/gen_corpus.py
# made with seed 7 (the benchmark's corpora use seed 1), a no-change rebuild
# of it, and a build of the default digest in this repo. Run it again after
# changing the code (functions changed since the profile are compiled as
# without one), then `cargo clean --release`: cargo does not know the
# profile, so the dependencies it compiled before keep the old one.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/nashra-pgo}"
GEN="${GEN_CORPUS:-$ROOT/../shared/bench/gen_corpus.py}"
[ -f "$GEN" ] || { echo "missing $GEN" >&2; exit 1; }

host="$(rustc -vV | sed -n 's/^host: //p')"
profdata="${LLVM_PROFDATA:-$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata}"
[ -x "$profdata" ] || rustup component add llvm-tools
[ -x "$profdata" ] || { echo "no llvm-profdata at $profdata" >&2; exit 1; }

mkdir -p "$WORK"
[ -f "$WORK/corpus/site.yaml" ] || python3 "$GEN" -n 1000 --seed 7 --format nashra -o "$WORK/corpus" --force >/dev/null

# instrumented by pgo/rustc-wrapper: the crates compiled at opt-level 3
rm -rf "$WORK/raw"
(cd "$ROOT" && NASHRA_PGO_GENERATE="$WORK/raw" CARGO_TARGET_DIR="$WORK/target" cargo build --release --locked)
bin="$WORK/target/release/nashra"

rm -rf "$WORK/out" "$WORK/site"
"$bin" build --root "$WORK/corpus" --out "$WORK/out" >/dev/null
"$bin" build --root "$WORK/corpus" --out "$WORK/out" >/dev/null
"$bin" build --root "$ROOT" --out "$WORK/site" >/dev/null

"$profdata" merge --sparse -o "$ROOT/pgo/nashra.profdata" "$WORK/raw"
rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p' > "$ROOT/pgo/llvm-version"
"$ROOT/pgo/source-hash.sh" > "$ROOT/pgo/source-hash"
echo "wrote pgo/nashra.profdata ($(du -k "$ROOT/pgo/nashra.profdata" | cut -f1) KiB, LLVM $(cat "$ROOT/pgo/llvm-version")); now: cargo clean --release"
