#!/usr/bin/env bash
# Runs every fuzz target once, one after the other, each for SECONDS_PER_TARGET (default
# 600) on one job at the lowest priority, from fuzz/corpus/<target> (kept in git) and
# fuzz/seeds/<target> (made by seeds.sh); new inputs go into fuzz/corpus/<target>, findings
# into fuzz/artifacts/<target>/, logs into fuzz/logs/<target>.log. The targets are built
# once first and then run as they are, so editing the crate meanwhile changes nothing.
# Afterwards, fuzz/minimise.sh shrinks each corpus to what the runs added to the seeds.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_PER_TARGET:-600}
targets=${TARGETS:-"cert_load pkcs12 scenario json clixml nrbf names wizard ps_quote"}
mkdir -p fuzz/logs
cargo +nightly fuzz build -O || exit 1
bin=fuzz/target/x86_64-unknown-linux-gnu/release
for t in $targets; do
    mkdir -p "fuzz/corpus/$t" "fuzz/seeds/$t"
    echo "== $t: $(date -u +%FT%TZ), ${seconds}s"
    mkdir -p "fuzz/artifacts/$t"
    nice -n 19 "$bin/$t" "fuzz/corpus/$t" "fuzz/seeds/$t" \
        -artifact_prefix="fuzz/artifacts/$t/" -jobs=1 -workers=1 \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        > "fuzz/logs/$t.log" 2>&1
    rc=$?
    # With -jobs, libFuzzer writes the worker's own log to fuzz-0.log in its directory.
    for w in fuzz-0.log fuzz/fuzz-0.log; do
        [ -f "$w" ] && { cat "$w" >> "fuzz/logs/$t.log"; rm -f "$w"; }
    done
    echo "   exit $rc; $(grep -E '^stat::number_of_executed_units|Done [0-9]+ runs' "fuzz/logs/$t.log" | tail -1)"
done
