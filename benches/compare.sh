#!/usr/bin/env bash
# Side by side with the tool a user would otherwise pick, the openssl command line: inspecting a
# certificate and making a detached CMS signature with a .pfx key. Needs hyperfine and openssl
# (apt-get install hyperfine openssl); prints hyperfine's tables with the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p vnaccs-core --features cli --bin vnaccs
vnaccs=$PWD/target/release/vnaccs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -keyout key.pem -out cert.pem \
  -subj "/C=VN/ST=TP. Hồ Chí Minh/CN=CÔNG TY TNHH SO SÁNH/UID=MST:0302345459" -utf8 2>/dev/null
openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass:bench -out ks.pfx
head -c 4096 /dev/urandom > data.bin
serial=$(openssl x509 -in cert.pem -noout -serial | cut -d= -f2)
export PFX_PASSWORD=bench
hyperfine -N --warmup 5 \
  "$vnaccs inspect cert.pem" \
  "openssl x509 -in cert.pem -noout -text"
hyperfine -N --warmup 5 \
  "$vnaccs sign --pfx ks.pfx --pin-env PFX_PASSWORD --cert $serial data.bin vnaccs.p7s" \
  "openssl cms -sign -binary -outform DER -in data.bin -signer cert.pem -inkey key.pem -out openssl.p7s"
