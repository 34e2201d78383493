#!/usr/bin/env bash
# Shrinks fuzz/corpus/<target> to what the fuzzers found beyond the seeds: the seeds are
# minimised first (libFuzzer -merge=1), then the corpus is merged over them, and only the
# inputs that reached new code (edges, not hit counts: -use_counters=0) stay in
# fuzz/corpus/<target> (the seeds come back with seeds.sh), except those over 64 KiB.
# Uses the built targets (cargo +nightly fuzz build -O).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=fuzz/target/x86_64-unknown-linux-gnu/release
for t in ${TARGETS:-cert_load pkcs12 scenario json clixml nrbf names wizard ps_quote}; do
    work=$(mktemp -d)
    mkdir -p "$work/base" "$work/all"
    nice -n 19 "$bin/$t" -merge=1 -use_counters=0 -timeout=10 -rss_limit_mb=2048 "$work/base" "fuzz/seeds/$t" > "$work/log" 2>&1
    cp "$work/base/." "$work/all/" -r
    nice -n 19 "$bin/$t" -merge=1 -use_counters=0 -timeout=10 -rss_limit_mb=2048 "$work/all" "fuzz/corpus/$t" >> "$work/log" 2>&1
    before=$(ls "fuzz/corpus/$t" | wc -l)
    rm -rf "fuzz/corpus/$t" && mkdir -p "fuzz/corpus/$t"
    for f in "$work/all"/*; do
        [ -e "$work/base/$(basename "$f")" ] || cp "$f" "fuzz/corpus/$t/"
    done
    # Inputs over 64 KiB are the seeds' big files, mutated: left out to keep the corpus small.
    find "fuzz/corpus/$t" -type f -size +64k -delete
    echo "$t: $before -> $(ls "fuzz/corpus/$t" | wc -l) files, $(du -sh "fuzz/corpus/$t" | cut -f1) (seeds kept out: $(ls "$work/base" | wc -l))"
    rm -rf "$work"
done
