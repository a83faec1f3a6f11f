#!/usr/bin/env bash
# Benchmark: nashra against Hugo (when installed) and against a "floor" (read every
# input + copy nashra's output tree), on the synthetic corpora of
# ../shared/bench/gen_corpus.py. Not part of `cargo test` or .ci/run.
#
#   bench/run.sh [-r RUNS] [-w WORKDIR] [--no-hugo] [PAIRS...]     (default: 1000 10000)
#
# Generate the corpora once (cached under WORKDIR, default /tmp/nashra-bench)
# and build nashra in release mode. Then for each size, smallest first: RUNS
# times, alternating nashra and the floor, then (with Hugo) RUNS times,
# alternating nashra and Hugo, each build into a fresh, empty folder on a
# tmpfs, measured with /usr/bin/time -v (wall, user and system CPU time, max
# RSS). The two passes are apart so that each ratio
# compares builds made under the same conditions, nashra/floor from the first
# pass, nashra/Hugo from the second (once, by hand, a build right after a Hugo
# build, 3.6 GiB at 10,000 pairs, was a tenth slower). Then RUNS no-change rebuilds of
# nashra into its existing output, which must write no file, and RUNS rebuilds after
# touching every input (everything renders again; still nothing is written). Prints medians and
# the ratios nashra/Hugo and nashra/floor, then each round's ratios (a build
# against the one measured right after it), and the growth from each size to
# the next; raw figures go to WORKDIR/results.tsv.
# Sizes are not interleaved round by round: a 10,000-pair build right after
# a 100,000-pair round's 11 GiB of output was removed took 2.36 s (median of
# five) against 2.04 s in a run of its own, its floor not slowed alike (2.59
# times it against 2.24), the machine's memory being colder then.
# Quote only runs made on a quiet machine (the load average is printed).
set -euo pipefail

RUNS=3
WORK=/tmp/nashra-bench
HUGO=1
SIZES=()
while [ $# -gt 0 ]; do
  case "$1" in
    -r|--runs) RUNS="$2"; shift 2 ;;
    -w|--work) WORK="$2"; shift 2 ;;
    --no-hugo) HUGO=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) SIZES+=("$1"); shift ;;
  esac
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
for N in "${SIZES[@]}"; do
  case "$N" in ''|*[!0-9]*) echo "a size is a number of pairs, not '$N'" >&2; exit 2 ;; esac
done
# smallest first, each once: measured in this order
mapfile -t SIZES < <(printf '%s\n' "${SIZES[@]}" | sort -n -u)

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GEN="${GEN_CORPUS:-$ROOT/../shared/bench/gen_corpus.py}"
[ -f "$GEN" ] || { echo "missing $GEN" >&2; exit 1; }
case "$WORK" in "$ROOT"|"$ROOT"/*) echo "keep WORKDIR outside the repo" >&2; exit 1 ;; esac

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time" >&2
  apt-get install -y -qq time >/dev/null
fi
if [ "$HUGO" = 1 ] && ! command -v hugo >/dev/null; then
  apt-get install -y -qq hugo >/dev/null 2>&1 || true
fi
if [ "$HUGO" = 1 ] && ! command -v hugo >/dev/null; then
  echo "hugo not installed: measuring nashra and the floor only" >&2
  HUGO=0
fi

mkdir -p "$WORK/corpus"
echo "building nashra (release)" >&2
(cd "$ROOT" && cargo build --release --quiet)
NASHRA="${CARGO_TARGET_DIR:-$ROOT/target}/release/nashra"
[ -x "$NASHRA" ] || NASHRA="$ROOT/target/release/nashra"
if [ "$(cat "$ROOT/pgo/source-hash" 2>/dev/null)" != "$("$ROOT/pgo/source-hash.sh")" ]; then
  echo "note: the code has changed since pgo/nashra.profdata was made (pgo/train.sh makes it again)" >&2
fi

# Outputs go to a tmpfs: our own mount if we may, else /dev/shm.
OUT="$WORK/out"
mkdir -p "$OUT"
MOUNTED=0
if mountpoint -q "$OUT"; then :
elif mount -t tmpfs -o size=16g tmpfs "$OUT" 2>/dev/null; then MOUNTED=1
else OUT="$(mktemp -d /dev/shm/nashra-bench.XXXXXX)"
fi
cleanup() {
  rm -rf "${OUT:?}"/* 2>/dev/null || true
  if [ "$MOUNTED" = 1 ]; then umount "$OUT" 2>/dev/null || true
  elif [ "$OUT" != "$WORK/out" ]; then rm -rf "$OUT"; fi
}
trap cleanup EXIT

RESULTS="$WORK/results.tsv"
: > "$RESULTS"

# measure SIZE TOOL COMMAND...: run under /usr/bin/time -v, append a row.
measure() {
  local size="$1" tool="$2"; shift 2
  local tv="$WORK/time.txt" log="$WORK/last.log"
  if ! /usr/bin/time -v -o "$tv" "$@" >"$log" 2>&1; then
    echo "FAILED: $*" >&2; cat "$log" >&2; exit 1
  fi
  python3 - "$tv" "$size" "$tool" >>"$RESULTS" <<'PY'
import sys
path, size, tool = sys.argv[1:]
v = {}
for line in open(path):
    k, _, val = line.strip().rpartition(": ")
    v[k] = val
def secs(s):
    t = 0.0
    for part in s.split(":"):
        t = t * 60 + float(part)
    return t
wall = secs(v["Elapsed (wall clock) time (h:mm:ss or m:ss)"])
user, system = float(v["User time (seconds)"]), float(v["System time (seconds)"])
rss = int(v["Maximum resident set size (kbytes)"]) / 1024
print(f"{size}\t{tool}\t{wall:.3f}\t{user + system:.3f}\t{rss:.1f}\t{user:.3f}\t{system:.3f}")
PY
}

GENERATED=0
for N in "${SIZES[@]}"; do
  for fmt in nashra hugo; do
    dir="$WORK/corpus/$fmt-$N"
    [ "$fmt" = hugo ] && [ "$HUGO" = 0 ] && continue
    if [ ! -f "$dir/.complete" ]; then
      echo "generating $fmt corpus, $N pairs" >&2
      python3 "$GEN" -n "$N" --seed 1 --format "$fmt" -o "$dir" --force >/dev/null
      touch "$dir/.complete"
      GENERATED=1
    fi
  done
done
# nashra hashes an input written in the last 3 seconds (fingerprint::RACY_SECS)
# rather than trusting its size and time, and a no-change rebuild reads every
# input recent at the last build again: waited out, so that the rebuilds
# measure the usual case
if [ "$GENERATED" = 1 ]; then sleep 4; fi
# warm the page cache so every tool reads from memory
warm() {
  find "$WORK/corpus/nashra-$1" -type f -exec cat {} + >/dev/null
  if [ "$HUGO" = 1 ]; then find "$WORK/corpus/hugo-$1" -type f -exec cat {} + >/dev/null; fi
}

for N in "${SIZES[@]}"; do
  SRC="$WORK/corpus/nashra-$N"
  HSRC="$WORK/corpus/hugo-$N"
  echo "== $N pairs: load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  warm "$N"
  for i in $(seq 1 "$RUNS"); do
    rm -rf "$OUT/nashra" "$OUT/floor"
    measure "$N" nashra "$NASHRA" build --root "$SRC" --out "$OUT/nashra"
    echo "  run $i nashra: $(grep '^Built' "$WORK/last.log" | tail -n 1)" >&2
    measure "$N" floor bash -c 'find "$1" -type f -exec cat {} + >/dev/null && cp -r "$2" "$3"' floor "$SRC" "$OUT/nashra" "$OUT/floor"
    rm -rf "$OUT/floor"
  done
  if [ "$HUGO" = 1 ]; then
    for i in $(seq 1 "$RUNS"); do
      rm -rf "$OUT/nashra" "$OUT/hugo"
      measure "$N" nashra-h "$NASHRA" build --root "$SRC" --out "$OUT/nashra"
      echo "  run $i nashra (beside Hugo): $(grep '^Built' "$WORK/last.log" | tail -n 1)" >&2
      measure "$N" hugo hugo --quiet -s "$HSRC" -d "$OUT/hugo"
      echo "  run $i hugo:   $(find "$OUT/hugo" -name '*.html' | wc -l) HTML files" >&2
      rm -rf "$OUT/hugo"
    done
  fi

  # No-change rebuilds into the last nashra output: nothing may be written.
  for i in $(seq 1 "$RUNS"); do
    touch "$WORK/marker"; sleep 1
    measure "$N" rebuild "$NASHRA" build --root "$SRC" --out "$OUT/nashra"
    summary="$(grep '^Built' "$WORK/last.log" | tail -n 1)"
    newer="$(find "$OUT/nashra" -newer "$WORK/marker" | wc -l)"
    written="$(sed -n 's/.*: \([0-9]*\) written.*/\1/p' <<<"$summary")"
    echo "  rebuild $i: $summary; $newer paths with a newer mtime" >&2
    printf '%s\trebuild-written\t%s\t%s\t0\n' "$N" "${written:-?}" "$newer" >>"$RESULTS"
  done
  # Rebuilds after every input file was touched (same bytes, new times): the
  # fingerprint differs, so everything renders again, and still nothing may
  # be written.
  for i in $(seq 1 "$RUNS"); do
    find "$SRC" -type f -exec touch {} +
    touch "$WORK/marker"; sleep 1
    measure "$N" touched "$NASHRA" build --root "$SRC" --out "$OUT/nashra"
    summary="$(grep '^Built' "$WORK/last.log" | tail -n 1)"
    newer="$(find "$OUT/nashra" -newer "$WORK/marker" | wc -l)"
    echo "  touched-inputs rebuild $i: $summary; $newer paths with a newer mtime" >&2
  done
  echo "  nashra output: $(find "$OUT/nashra" -type f | wc -l) files, $(du -sm "$OUT/nashra" | cut -f1) MiB" >&2
  rm -rf "$OUT/nashra"
done

python3 - "$RESULTS" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
sizes = []
data = {}
for size, tool, *vals in rows:
    if size not in sizes:
        sizes.append(size)
    data.setdefault((size, tool), []).append(vals)
def med(size, tool, k):
    v = data.get((size, tool))
    return statistics.median(float(x[k]) for x in v) if v else None
def f(x, fmt):
    return "—" if x is None else format(x, fmt)
print()
print("| pairs | run | wall s | CPU s | user s | system s | peak MiB | nashra/Hugo wall | nashra/floor wall |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
for s in sizes:
    n, h, fl = (med(s, t, 0) for t in ("nashra", "hugo", "floor"))
    # nashra/Hugo from the builds made beside Hugo (when there are some)
    nh = med(s, "nashra-h", 0)
    for tool, label in (("nashra", "nashra build"), ("floor", "floor (cat inputs + cp -r output)"), ("nashra-h", "nashra build, beside Hugo"), ("hugo", "Hugo"), ("rebuild", "nashra no-change rebuild"), ("touched", "nashra rebuild, inputs touched")):
        if (s, tool) not in data:
            continue
        w, c, m, u, sy = (med(s, tool, k) for k in range(5))
        beside = tool == "nashra-h" or (tool == "nashra" and nh is None)
        rh = f(w / h, ".2f") if h and (beside or tool in ("rebuild", "touched")) else ""
        rf = f(w / fl, ".2f") if tool in ("nashra", "rebuild", "touched") and fl else ""
        print(f"| {int(s):,} | {label} | {w:.2f} | {c:.2f} | {u:.2f} | {sy:.2f} | {m:.0f} | {rh} | {rf} |")
    wr = data.get((s, "rebuild-written"), [])
    if wr:
        print(f"| {int(s):,} | no-change rebuild: files written / paths touched | {', '.join(x[0] + ' / ' + x[1] for x in wr)} | | | | | | |")
runs = max(len(v) for k, v in data.items() if k[1] == "nashra")
print(f"\nmedians of {runs} runs each; raw figures in {sys.argv[1]}")
# each build against the one measured right after it: steadier than the
# ratio of the medians when the machine's speed drifts during the run
for s in sizes:
    for a, b, name in (("nashra", "floor", "nashra/floor"), ("nashra-h", "hugo", "nashra/Hugo")):
        x, y = data.get((s, a)), data.get((s, b))
        if x and y:
            r = [float(p[0]) / float(q[0]) for p, q in zip(x, y)]
            print(f"{int(s):,} pairs, {name} wall by round: {', '.join(f'{v:.2f}' for v in r)} (median {statistics.median(r):.2f})")
# the growth from one size to the next: the medians' ratios (wall, user,
# system, peak memory; the floor's wall)
for a, b in zip(sizes, sizes[1:]):
    grow = lambda tool, k: f((med(b, tool, k) or 0) / med(a, tool, k), ".1f") if med(a, tool, k) else "—"
    print(f"{int(a):,} -> {int(b):,} pairs ({int(b) / int(a):g}x the content): nashra wall {grow('nashra', 0)}x "
          f"(user {grow('nashra', 3)}x, system {grow('nashra', 4)}x), peak memory {grow('nashra', 2)}x, floor wall {grow('floor', 0)}x")
PY
