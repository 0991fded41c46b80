#!/usr/bin/env bash
# The one test command (README, CI): installs what the tests need where it is missing, then runs
# every suite — Rust (fmt, clippy, tests), C, Python. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$root/target/venv

step() { printf '\n==> %s\n' "$*"; }

# --- What the tests need -------------------------------------------------------------------------
# Debian packages, by the command that shows each is there.
declare -A packages=([cc]=gcc [g++]=g++ [softhsm2-util]=softhsm2 [pkcs11-tool]=opensc [openssl]=openssl
  [valgrind]=valgrind [pkg-config]=pkg-config [mcs]=mono-mcs [mono]=mono-runtime)
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

# Python packages, in a virtual environment under target/.
# jsonschema: the HAR 1.2 check of tests/python/test_profile.py.
if ! "$venv/bin/python" -c 'import pytest, maturin, mypy, jsonschema' >/dev/null 2>&1; then
  step "python environment in target/venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check 'maturin>=1.7,<2' 'pytest>=8' 'mypy>=1.10' \
    'jsonschema>=4.18'
fi

# cargo-deny, for the dependency checks (deny.toml), in the version deny.toml is written for.
# Built from source: ~3 CPU-minutes (6.4 min on 2 cores shared with other work).
if ! command -v cargo-deny >/dev/null 2>&1; then
  step "installing cargo-deny"
  cargo install --locked cargo-deny --version '^0.20'
fi

# --- Rust ----------------------------------------------------------------------------------------
step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo deny: licences, bans (duplicates), sources (advisories need the network: not here)"
cargo deny --all-features --locked check licenses bans sources
step "cargo clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings
step "cargo test"
cargo test --workspace --all-features
step "benches build and run once (criterion's test mode: no timing)"
cargo test -q -p vnaccs-benches --benches -- --test
step "cargo doc (no broken intra-doc links)"
RUSTDOCFLAGS="-D rustdoc::broken_intra_doc_links" cargo doc --no-deps --workspace --all-features --quiet

# --- C -------------------------------------------------------------------------------------------
step "C tests"
cargo build -p vnaccs-ffi
version=$(cargo pkgid -p vnaccs-core | sed 's/.*[#@]//')
libdir=$root/target/debug
cbuild=$root/target/ctests
mkdir -p "$cbuild"
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -pthread -Iinclude)
# The header as C++.
printf '#include "vnaccs.h"\nint main() { return vnaccs_abi_version() == VNACCS_ABI_VERSION ? 0 : 1; }\n' |
  g++ -std=c++17 -Wall -Wextra -Werror -Iinclude -x c++ -fsyntax-only -
# The pkg-config file gives what a build needs.
grep -q "^Version: $version\$" vnaccs-ffi/vnaccs.pc
# The test PKI's certificates, keys and sandbox scenario, written once for every test.
cc "${cflags[@]}" -o "$cbuild/fixtures" tests/c/fixtures.c \
  $(pkg-config --define-variable=prefix=/ --define-variable=includedir="$root/include" \
    --define-variable=libdir="$libdir" --cflags --libs vnaccs-ffi/vnaccs.pc) -Wl,-rpath,"$libdir"
pki=$cbuild/pki
rm -rf "$pki"
"$cbuild/fixtures" "$pki"
# A SoftHSM2 token with the enterprise's new certificate and key, for test_sign.
export SOFTHSM2_CONF=$cbuild/softhsm2.conf VNACCS_PKCS11_MODULE=/usr/lib/softhsm/libsofthsm2.so
rm -rf "$cbuild/tokens" && mkdir -p "$cbuild/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
  "$cbuild/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label "VNACCS C" --pin 246810 --so-pin 12345678 >/dev/null
openssl x509 -in "$pki/new.pem" -outform DER -out "$pki/new.der"
openssl pkcs8 -topk8 -nocrypt -in "$pki/new.key.pem" -outform DER -out "$pki/new.key.der"
for object in "new.der cert" "new.key.der privkey"; do
  set -- $object
  pkcs11-tool --module "$VNACCS_PKCS11_MODULE" --token-label "VNACCS C" --login --pin 246810 \
    --write-object "$pki/$1" --type "$2" --id 01 --label new >/dev/null
done
passed=0 failed=0
run_c() {
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
for src in tests/c/test_*.c; do
  name=$(basename "$src" .c)
  # Each test links twice: against the static and the shared library.
  cc "${cflags[@]}" -o "$cbuild/$name-static" "$src" "$libdir/libvnaccs.a" -lpthread -ldl -lm
  cc "${cflags[@]}" -o "$cbuild/$name-shared" "$src" -L"$libdir" -lvnaccs -Wl,-rpath,"$libdir"
  for bin in "$cbuild/$name-static" "$cbuild/$name-shared"; do
    run_c "$bin" "$version" "$pki"
  done
  # And once under valgrind: no leak, no invalid access.
  run_c valgrind -q --leak-check=full --suppressions=tests/c/valgrind.supp \
    --error-exitcode=1 "$cbuild/$name-shared" "$version" "$pki"
done
# The README's update program builds.
cc "${cflags[@]}" -o "$cbuild/update-example" examples/c/update.c -L"$libdir" -lvnaccs
echo "C: $passed passed, $failed failed"
[ "$failed" = 0 ]

# --- .NET (Mono) ---------------------------------------------------------------------------------
step ".NET example (examples/dotnet)"
mkdir -p "$root/target/dotnet"
mcs -nologo -warnaserror -out:"$root/target/dotnet/vnaccs-example.exe" examples/dotnet/*.cs
LD_LIBRARY_PATH=$libdir mono "$root/target/dotnet/vnaccs-example.exe" "$pki"

# --- Python --------------------------------------------------------------------------------------
step "Python tests"
(cd vnaccs-py && VIRTUAL_ENV=$venv PATH=$venv/bin:$PATH maturin develop --quiet)
"$venv/bin/python" -m pytest -q tests/python
step "Python typing: the stubs against the module; mypy --strict on the package and the tests"
"$venv/bin/python" -m mypy.stubtest vnaccs
"$venv/bin/python" -m mypy --strict vnaccs-py/python/vnaccs tests/python
