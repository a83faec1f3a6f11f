#!/usr/bin/env bash
# Watch latency (issue 4): from the moment an edited article file is written
# to the moment `nashra watch` has written the last output byte (it prints its
# "Rebuilt after ..." line only after the output is up to date), on a corpus
# made by ../shared/bench/gen_corpus.py. Not part of `cargo test` or .ci/run.
#
#   bench/watch_latency.sh [-r RUNS] [-w WORKDIR] [-l LANG] [PAIRS]   (default: 7 runs, en, 10000 pairs)
#
# Generates the corpus once (cached under WORKDIR, default /tmp/nashra-watch-bench),
# builds nashra in release mode, copies the corpus, starts `nashra watch` on the
# copy, waits for the first build, then RUNS times: edit one article's body
# (the first file of content/LANG/; a sentence of its last paragraph), then RUNS times: edit the same article's
# `topics:` line (two different topic sets in turn). Prints each latency and
# the medians. Quote only runs made on a quiet machine.
set -euo pipefail

RUNS=7
LANG_EDITED=en
WORK=/tmp/nashra-watch-bench
PAIRS=10000
while [ $# -gt 0 ]; do
  case "$1" in
    -r|--runs) RUNS="$2"; shift 2 ;;
    -w|--work) WORK="$2"; shift 2 ;;
    -l|--lang) LANG_EDITED="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) PAIRS="$1"; shift ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GEN="${GEN_CORPUS:-$ROOT/../shared/bench/gen_corpus.py}"
[ -f "$GEN" ] || { echo "missing $GEN" >&2; exit 1; }
case "$WORK" in "$ROOT"|"$ROOT"/*) echo "keep WORKDIR outside the repo" >&2; exit 1 ;; esac
mkdir -p "$WORK"
CORPUS="$WORK/corpus-$PAIRS"
[ -d "$CORPUS" ] || python3 "$GEN" -n "$PAIRS" --seed 1 --format nashra -o "$CORPUS" >&2

(cd "$ROOT" && cargo build --release --quiet)
# a copy, so that another build in the same target folder cannot replace it mid-run
cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/nashra" "$WORK/nashra"
SITE="$WORK/site"
rm -rf "$SITE" "$WORK/out"
cp -r "$CORPUS" "$SITE"

python3 - "$WORK/nashra" "$SITE" "$WORK/out" "$RUNS" "$LANG_EDITED" <<'EOF'
import os, re, statistics, subprocess, sys, time

nashra, site, out, runs, lang = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
log = open(os.path.join(os.path.dirname(out), "watch.log"), "w+")
# NASHRA_TIMINGS=1 in the environment puts each rebuild's phases in watch.log
proc = subprocess.Popen([nashra, "watch", "--root", site, "--out", out], stdout=log, stderr=subprocess.STDOUT)

def lines():
    log.flush()
    with open(log.name) as f:
        return f.read().splitlines()

def wait_line(pred, after, limit=600):
    start = time.time()
    while time.time() - start < limit:
        new = lines()[after:]
        for l in new:
            if pred(l):
                return l
        time.sleep(0.0005)
    sys.exit("timed out; log:\n" + "\n".join(lines()[-20:]))

try:
    t0 = time.time()
    wait_line(lambda l: l.startswith("Watching"), 0)
    print(f"first build: {time.time() - t0:.1f} s ({lines()[0]})", flush=True)
    path = os.path.join(site, "content", lang, sorted(os.listdir(os.path.join(site, "content", lang)))[0])
    original = open(path, encoding="utf-8").read()
    topics = re.search(r"^topics: .*$", original, re.M).group(0)

    def measure(kind, make):
        got = []
        for k in range(runs):
            time.sleep(0.5)  # quiet: the debouncer has nothing pending
            text = make(k)
            before = len(lines())
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            t = time.perf_counter()
            line = wait_line(lambda l: l.startswith("Rebuilt after") or "error" in l, before)
            ms = (time.perf_counter() - t) * 1000
            if not line.startswith("Rebuilt"):
                sys.exit("rebuild failed: " + "\n".join(lines()[before:]))
            got.append(ms)
            print(f"{kind} edit {k + 1}: {ms:.1f} ms  ({line})", flush=True)
        return statistics.median(got)

    body = measure("body", lambda k: original.rstrip("\n") + f" Edit number {k}.\n")
    ids = re.findall(r"^([a-z0-9-]+):", open(os.path.join(site, "content", "topics.yaml"), encoding="utf-8").read(), re.M)
    other = [f"[{ids[0]}, {ids[1]}]", f"[{ids[2]}]"]
    tops = measure("topics", lambda k: original.replace(topics, "topics: " + other[k % 2]))
    print(f"median latency, body edit: {body:.0f} ms; topics edit: {tops:.0f} ms ({runs} runs each)")
finally:
    proc.terminate()
    proc.wait()
EOF
