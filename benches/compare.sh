#!/usr/bin/env bash
# `relaycheck certificates` on 10,000 certificates against `openssl storeutl -noout -text
# -certs` and Python's cryptography reading every SAN (benches/list_certificates.py), on a
# folder of 10,000 PEM files and on one PEM bundle of the same certificates, both made by
# `cargo bench --bench store`. Whole-process times with hyperfine, peak memory with GNU
# time. Figures and what they mean: docs/performance.md.
#
#   bash benches/compare.sh            # needs hyperfine, openssl, python3 (venv + pip)
#
# RELAYCHECK_STORE: where the store goes (default target/store-10000, made once and kept).
# RELAYCHECK_VENV: a venv with cryptography (default target/compare-venv, made when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export RELAYCHECK_STORE=${RELAYCHECK_STORE:-$PWD/target/store-10000}
venv=${RELAYCHECK_VENV:-$PWD/target/compare-venv}
runs=${RUNS:-5}

cargo bench --bench store -- --warm-up-time 1 --measurement-time 3
cargo build --release --quiet
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet cryptography
fi
rc=$PWD/target/release/relaycheck
py="$venv/bin/python $PWD/benches/list_certificates.py"
folder=$RELAYCHECK_STORE/folder
bundle=$RELAYCHECK_STORE/bundle.pem
echo "cryptography $("$venv/bin/python" -c 'import cryptography; print(cryptography.__version__)'), $(openssl version)"

# openssl storeutl reads one URI: the folder with -r (every file in it), or the bundle.
openssl_folder="openssl storeutl -r -noout -text -certs $folder"

for what in folder bundle; do
    if [ "$what" = folder ]; then input=$folder; ossl=$openssl_folder; else input=$bundle; ossl="openssl storeutl -noout -text -certs $bundle"; fi
    echo "== $what: $input"
    hyperfine --warmup 1 --runs "$runs" --style basic \
        --export-markdown "target/compare-$what.md" \
        -n relaycheck "$rc certificates --certificate $input --now 2026-11-22" \
        -n relaycheck-json "$rc certificates --certificate $input --now 2026-11-22 --format json" \
        -n python-cryptography "$py $input" \
        -n openssl "$ossl"
    for cmd in "$rc certificates --certificate $input --now 2026-11-22" "$py $input" "$ossl"; do
        /usr/bin/time -f "peak %M KiB, %e s: $cmd" sh -c "$cmd >/dev/null"
    done
done
