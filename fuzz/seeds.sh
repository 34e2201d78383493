#!/usr/bin/env bash
# Gathers the starting corpus of every fuzz target from the repository and the external
# corpora (../shared/corpora or $RELAYCHECK_CORPORA) into fuzz/seeds/<target>/ (not kept in
# git: `cargo fuzz cmin` turns it into the small fuzz/corpus/<target>/ that is).
set -euo pipefail
cd "$(dirname "$0")"
repo=..
corpora=${RELAYCHECK_CORPORA:-$repo/../shared/corpora}
rm -rf seeds && mkdir -p seeds/{cert_load,pkcs12,scenario,json,clixml,nrbf,names,wizard,ps_quote}

# Certificates: the corpora's real and malformed files, and the examples.
if [ -d "$corpora/certs" ]; then
    find "$corpora/certs" -type f ! -name '*.md' ! -name '*.jsonl' -size -64k \
        -exec cp -t seeds/cert_load {} +
fi
cp "$repo"/assets/examples/certs/*.pem seeds/cert_load/

# PKCS#12: made here with openssl from an example certificate and a fresh key.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=mail.contoso.com \
    -keyout "$tmp/k.pem" -out "$tmp/c.pem" -days 30 2>/dev/null
openssl pkcs12 -export -in "$tmp/c.pem" -inkey "$tmp/k.pem" -passout pass: -out seeds/pkcs12/empty-aes.pfx
openssl pkcs12 -export -in "$tmp/c.pem" -inkey "$tmp/k.pem" -passout pass:secret -out seeds/pkcs12/password-aes.pfx
openssl pkcs12 -export -in "$tmp/c.pem" -inkey "$tmp/k.pem" -passout pass: -legacy \
    -out seeds/pkcs12/empty-legacy.pfx 2>/dev/null || true
openssl pkcs12 -export -in "$tmp/c.pem" -nokeys -passout pass: -out seeds/pkcs12/cert-only.pfx
openssl pkcs12 -export -in "$tmp/c.pem" -inkey "$tmp/k.pem" -passout pass: -nomac \
    -out seeds/pkcs12/no-mac.pfx 2>/dev/null || true

# Scenarios.
cp "$repo"/assets/examples/*.yaml "$repo"/assets/demo/demo.yaml seeds/scenario/

# ConvertTo-Json output.
cp "$repo"/tests/fixtures/import/*.json seeds/json/

# Export-Clixml, and the NRBF blobs inside their SerializationData.
if [ -d "$corpora/powershell/css-exchange-clixml" ]; then
    cp "$corpora"/powershell/css-exchange-clixml/*.xml seeds/clixml/
    python3 - "$corpora/powershell/css-exchange-clixml" seeds/nrbf <<'PY'
import base64, pathlib, re, sys
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for f in sorted(src.glob("*.xml")):
    text = f.read_text(encoding="utf-8", errors="replace")
    for m in re.finditer(r'N="SerializationData">([^<]+)<', text):
        try:
            blob = base64.b64decode("".join(m.group(1).split()))
        except Exception:
            continue
        (out / f"{f.stem}-{n}.bin").write_bytes(blob)
        n += 1
PY
fi

# Names: one per file; a second line is the host for the matchers.
i=0
for t in 'mail.contoso.com' '*.contoso.com' 'contoso.com' 'MAIL.Contoso.COM.' \
    $'*.contoso.com\nmail.contoso.com' $'mail.contoso.com\nMAIL.contoso.com' \
    'xn--n1aae7f7o.badssl.com' 'user@contoso.com' '"a b"@contoso.com' '<>' \
    '203.0.113.10' '203.0.113.0/24' '2001:db8::/32' '203.0.113.1-203.0.113.9' \
    '*.*.contoso.com' 'a..b' '-a.com' "$(printf 'a%.0s' {1..64}).com"; do
    printf '%s' "$t" > "seeds/names/$i"
    i=$((i + 1))
done

# PowerShell quoting: names with every quote, dash and line end PowerShell knows.
i=0
for t in 'Inbound from on-premises' "O'Brien's \$connector" $'x$\u201a; Remove-Item C:\\Temp\\* -Recurse; #' \
    $'\u2018\u2019\u201a\u201b\'' $'\u201c\u201d\u201e"' $'\u2013WhatIf \u2014Confirm \u2015x' \
    'a`$(b)`' $'a\r\nb\u0085c\u2028d\u2029e' '$env:TEMP' '@(1) <# x #> # y'; do
    printf '%s' "$t" > "seeds/ps_quote/$i"
    i=$((i + 1))
done

# The wizard: key sequences (see fuzz_targets/wizard.rs for the byte → key table).
printf '\x50\x18%s' '3jjj' > seeds/wizard/connector
printf '\x50\x18%s\x00%s\x00' '3jjj' '*.contoso.com' > seeds/wizard/type-tscn
printf '\x50\x18%s' '1jjk2av' > seeds/wizard/domains
printf '\x50\x18%s' 'f5u?' > seeds/wizard/fix-undo-help
printf '\x50\x18%s\x00' '1a' > seeds/wizard/add-certificate
