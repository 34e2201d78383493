#!/usr/bin/env python3
"""The same listing as `relaycheck certificates`, with Python's cryptography package: for
every certificate of a folder of PEM files or of one PEM bundle, the subject, the issuer,
the expiry, the SHA-1 thumbprint and every DNS name of the subjectAltName; one line each.
Used by benches/compare.sh (docs/performance.md).

    python3 benches/list_certificates.py FOLDER|BUNDLE.pem
"""

import pathlib
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes


def certificates(path):
    p = pathlib.Path(path)
    files = sorted(f for f in p.iterdir() if f.suffix == ".pem") if p.is_dir() else [p]
    for f in files:
        yield from x509.load_pem_x509_certificates(f.read_bytes())


def main():
    out = []
    n = 0
    for c in certificates(sys.argv[1]):
        try:
            san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            names = san.value.get_values_for_type(x509.DNSName)
        except x509.ExtensionNotFound:
            names = []
        out.append(
            f"{c.subject.rfc4514_string()}\t{len(names)}\t{c.issuer.rfc4514_string()}\t"
            f"{c.not_valid_after_utc.isoformat()}\t{c.fingerprint(hashes.SHA1()).hex().upper()}"
        )
        n += 1
    out.append(f"{n} certificates")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
