#!/bin/sh
# Makes crates/fcas-engine/tests/data/selfsigned.p7 (a DER PKCS#7 SignedData whose signer
# certificate is self-signed, with a signingTime attribute) and selfsigned_expected.json (what
# openssl says about it). Run from the repository root; needs openssl and python3.
set -eu
out=crates/fcas-engine/tests/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/O=FCAS Tests/CN=FCAS Self-Signed Test" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
printf 'content signed for the FCAS Authenticode tests\n' > "$work/content"
openssl smime -sign -binary -md sha256 -nodetach -in "$work/content" -signer "$work/cert.pem" -inkey "$work/key.pem" \
    -outform DER -out "$out/selfsigned.p7"
subject=$(openssl x509 -in "$work/cert.pem" -noout -subject -nameopt sep_comma_plus_space,sname,utf8 | sed 's/^subject=//')
serial=$(openssl x509 -in "$work/cert.pem" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f' | sed 's/^0*//')
signing_time=$(openssl cms -inform DER -in "$out/selfsigned.p7" -cmsout -print | grep -A 3 'signingTime' | grep -o 'UTCTIME:.*' | sed 's/^UTCTIME://')
python3 - "$out/selfsigned_expected.json" "$subject" "$serial" "$signing_time" <<'PY'
import datetime, json, sys
path, subject, serial, signing_time = sys.argv[1:]
time = datetime.datetime.strptime(signing_time.strip(), "%b %d %H:%M:%S %Y %Z").strftime("%Y-%m-%dT%H:%M:%SZ")
json.dump({"subject": subject, "serial": serial, "signing_time": time, "digest_algorithm": "sha256"}, open(path, "w"), indent=1, sort_keys=True)
open(path, "a").write("\n")
PY
