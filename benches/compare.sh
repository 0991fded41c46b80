#!/usr/bin/env bash
# Issue 16: vnaccs side by side with what a user would pick instead, each pair alternated in one
# run, written as a table to benches/RESULTS.md (machine, date, figures, ratios, targets).
#
# Installs its peers where they are missing: Debian's hyperfine, wrk, openssl, SoftHSM2, OpenSC and a
# C compiler (when root), and cryptography, beautifulsoup4 and lxml in the tests' virtual
# environment (target/venv), where it also builds the Python package (release).
# Usage: benches/compare.sh [--note TEXT]
# COMPARE_QUICK=1 shortens every run (for a check that the script works, not for figures);
# COMPARE_CRITERION=0 leaves out the in-process criterion benches (they need a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
venv=$root/target/venv
py=$venv/bin/python
note=""
[ "${1:-}" = --note ] && note=$2
quick=${COMPARE_QUICK:-}
runs() { if [ -n "$quick" ]; then echo "$1"; else echo "$2"; fi; }

step() { printf '\n==> %s\n' "$*"; }

# --- Peers ---------------------------------------------------------------------------------------
declare -A packages=([hyperfine]=hyperfine [wrk]=wrk [openssl]=openssl [/usr/bin/time]=time
  [softhsm2-util]=softhsm2 [pkcs11-tool]=opensc [cc]=gcc)
missing=()
for cmd in "${!packages[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${packages[$cmd]}")
done
if ((${#missing[@]})); then
  step "installing ${missing[*]}"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "missing packages: ${missing[*]} (install them, or run as root on Debian)" >&2
    exit 1
  fi
fi
if ! "$py" -c 'import maturin, cryptography, bs4, lxml' >/dev/null 2>&1; then
  step "python peers in target/venv"
  [ -x "$py" ] || python3 -m venv "$venv"
  "$py" -m pip install -q --disable-pip-version-check 'maturin>=1.7,<2' cryptography \
    beautifulsoup4 lxml
fi

step "release builds: the vnaccs command, the Python package"
cargo build --release -q -p vnaccs-core --features cli --bin vnaccs
vnaccs=$CARGO_TARGET_DIR/release/vnaccs
(cd vnaccs-py && VIRTUAL_ENV=$venv PATH=$venv/bin:$PATH maturin develop --release --quiet)

work=$(mktemp -d)
sandbox_pid=
cleanup() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
rows=$work/rows.jsonl
: >"$rows"
compare() { "$py" "$root/benches/compare.py" "$@"; }
hf() { hyperfine -N --warmup 5 --min-runs "$(runs 5 60)" "$@"; }

# --- Certificates from Python --------------------------------------------------------------------
step "Vietnamese-style certificates (10,000, one CA)"
compare gen "$work/certs" 10000
mkdir -p "$work/few"
cp "$work"/certs/00[0-2]??.der "$work/few/" # 300 certificates
step "reading certificates from Python: vnaccs vs cryptography"
compare certs --rows "$rows" --rounds "$(runs 3 40)" "$work/few"
step "certificate reading over one PEM bundle of 10 … 10,000"
compare scale --rows "$rows" "$work/certs" --counts 10 100 1000 10000

# --- Whole process: inspect and sign against openssl ---------------------------------------------
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -keyout key.pem -out cert.pem \
  -subj "/C=VN/ST=TP. Hồ Chí Minh/CN=CÔNG TY TNHH SO SÁNH/UID=MST:0302345459" -utf8 2>/dev/null
openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass:bench -out ks.pfx
head -c 4096 /dev/urandom >data.bin
serial=$(openssl x509 -in cert.pem -noout -serial | cut -d= -f2)
export PFX_PASSWORD=bench
step "inspect one certificate: vnaccs inspect vs openssl x509 -noout -text"
hf --export-json inspect.json "$vnaccs inspect cert.pem" "openssl x509 -in cert.pem -noout -text"
compare hyperfine --rows "$rows" --json inspect.json \
  --what "inspecting one certificate, whole process" --us '`vnaccs inspect`' \
  --alternative '`openssl x509 -noout -text`' --target "faster"
step "detached CMS signature, software key, whole process"
hf --export-json sign.json \
  "$vnaccs sign --pfx ks.pfx --pin-env PFX_PASSWORD --cert $serial data.bin vnaccs.p7s" \
  "openssl cms -sign -binary -outform DER -in data.bin -signer cert.pem -inkey key.pem -out openssl.p7s"
compare hyperfine --rows "$rows" --json sign.json \
  --what "a detached CMS signature (4 KiB, RSA-2048) with a software key, whole process (ours opens a password-protected .pfx, openssl reads an unencrypted PEM key)" \
  --us '`vnaccs sign --pfx`' --alternative '`openssl cms -sign`' --target "faster"
step "cold start: a C program loading the shared library to inspect one certificate vs java -version"
(cd "$root" && cargo build --release -q -p vnaccs-ffi)
cc -std=c99 -O2 -I"$root/include" -o inspect-c "$root/benches/c/inspect.c" \
  -L"$CARGO_TARGET_DIR/release" -lvnaccs -Wl,-rpath,"$CARGO_TARGET_DIR/release"
./inspect-c cert.pem | grep -q '"subject_cn"'
if command -v java >/dev/null; then
  hf --export-json cold.json "$work/inspect-c cert.pem" "java -version"
  compare hyperfine --rows "$rows" --json cold.json --min-ratio 10 \
    --what "cold start: load the C library and inspect one certificate from a C program" \
    --us "the C ABI (shared library)" --alternative "\`java -version\` (the runtime the applet needs, before anything)" \
    --target "≥ 10× faster"
else
  echo "no java: the cold start comparison is left out" >&2
fi
cd "$root"

# --- The sandbox under wrk -----------------------------------------------------------------------
step "wrk against vnaccs sandbox (keep-alive, 8 connections)"
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$vnaccs" sandbox --listen "127.0.0.1:$port" --export "$work/sandbox-pki" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 600); do
  grep -q "sandbox portal" "$work/sandbox.log" 2>/dev/null && break
  sleep 0.1
done
wrk -t1 -c8 -d"$(runs 2 10)s" "http://127.0.0.1:$port/Pages/DangNhap.aspx" | tee "$work/wrk.txt"
kill "$sandbox_pid" && wait "$sandbox_pid" 2>/dev/null || true
sandbox_pid=
compare wrk --rows "$rows" --output "$work/wrk.txt" --how "wrk -t1 -c8, cookie-less GETs"

# --- Page parsing from Python --------------------------------------------------------------------
step "reading an OE4001 result page: vnaccs.read_search_page vs BeautifulSoup with lxml"
compare pages --rows "$rows" --export "$work/sandbox-pki" --extra 20 --rounds "$(runs 3 30)"

# --- The library in-process (criterion) ----------------------------------------------------------
if [ "${COMPARE_CRITERION:-1}" = 1 ]; then
step "criterion: CMS signing, the sandbox login page, the whole update and its floor"
crit=(--warm-up-time 1 --measurement-time "$(runs 1 5)" --noplot)
criterion_dir=$CARGO_TARGET_DIR/criterion
cargo bench -q -p vnaccs-benches --bench signatures -- "cms detached" "${crit[@]}"
compare criterion --rows "$rows" --json "$work/sign.json" \
  --dir "$criterion_dir/cms detached, 4 KiB, RSA-2048/sign SHA-256" \
  --what "a detached CMS signature (4 KiB, RSA-2048) with a software key" \
  --us "the library (criterion, in process)" --alternative '`openssl cms -sign` (whole process)' \
  --target "faster"
step "criterion: a CMS signature on SoftHSM2 alternated with a bare C_Sign"
cargo bench -q -p vnaccs-benches --bench token_sign -- "${crit[@]}"
compare token --rows "$rows" --criterion "$criterion_dir"
cargo bench -q -p vnaccs-benches --bench sandbox_http -- "${crit[@]}"
compare criterion --rows "$rows" \
  --dir "$criterion_dir/sandbox_http/login page GET, kept alive, one session" \
  --what "the sandbox serving the login page, one kept-alive connection, one client at a time" \
  --us "time per GET (criterion)" --target "report; ≥ 5,000/s on 2 cores" --per-second 5000
step "criterion: the whole update, its floor, 1/10/100 declarants"
cargo bench -q -p vnaccs-benches --bench update -- "${crit[@]}"
# The guides' fewest requests (docs: benches/RESULTS.md remarks): A 5 (page, captcha image, three
# buttons), B 3, login 3 (page, post, the redirect), C 2 + 2 per declarant, D 4.
compare floor --rows "$rows" --criterion "$criterion_dir" \
  --fewest "the guides allow 19 with one declarant"
compare declarants --rows "$rows" --criterion "$criterion_dir"
step "the whole update from Python vs the same in Rust"
compare update-py --rows "$rows" --rounds "$(runs 3 30)" --criterion "$criterion_dir"
step "the whole update from C (the C ABI) vs the same in Rust"
cc -std=c99 -O2 -I"$root/include" -o "$work/update-c" "$root/benches/c/update.c" \
  -L"$CARGO_TARGET_DIR/release" -lvnaccs -Wl,-rpath,"$CARGO_TARGET_DIR/release"
"$work/update-c" "$work/sandbox-pki" "$(runs 3 30)" >"$work/update-c.json"
compare update-c --rows "$rows" --criterion "$criterion_dir" --json "$work/update-c.json"
fi

# --- The demo ------------------------------------------------------------------------------------
step "the demo: peak memory and wall time"
for i in $(seq "$(runs 2 7)"); do
  /usr/bin/time -v "$vnaccs" demo >/dev/null 2>"$work/demo-$i.time"
done
compare time-v --rows "$rows" "$work"/demo-*.time

# --- The table -----------------------------------------------------------------------------------
compare report --rows "$rows" --out "$root/benches/RESULTS.md" --note "$note"
step "written: benches/RESULTS.md"
cat "$root/benches/RESULTS.md"
