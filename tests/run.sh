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
declare -A packages=([cc]=gcc [softhsm2-util]=softhsm2 [pkcs11-tool]=opensc [openssl]=openssl)
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
if ! "$venv/bin/python" -c 'import pytest, maturin, mypy' >/dev/null 2>&1; then
  step "python environment in target/venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check 'maturin>=1.7,<2' 'pytest>=8' 'mypy>=1.10'
fi

# --- Rust ----------------------------------------------------------------------------------------
step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings
step "cargo test"
cargo test --workspace --all-features
step "cargo doc (no broken intra-doc links)"
RUSTDOCFLAGS="-D rustdoc::broken_intra_doc_links" cargo doc --no-deps --workspace --all-features --quiet

# --- C -------------------------------------------------------------------------------------------
step "C tests"
cargo build -p vnaccs-ffi
version=$(cargo pkgid -p vnaccs-core | sed 's/.*[#@]//')
libdir=$root/target/debug
cbuild=$root/target/ctests
mkdir -p "$cbuild"
passed=0 failed=0
for src in tests/c/test_*.c; do
  name=$(basename "$src" .c)
  # Each test links twice: against the static and the shared library.
  cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$cbuild/$name-static" "$src" \
    "$libdir/libvnaccs.a" -lpthread -ldl -lm
  cc -std=c11 -Wall -Wextra -Werror -Iinclude -o "$cbuild/$name-shared" "$src" \
    -L"$libdir" -lvnaccs -Wl,-rpath,"$libdir"
  for bin in "$cbuild/$name-static" "$cbuild/$name-shared"; do
    if "$bin" "$version"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
done
echo "C: $passed passed, $failed failed"
[ "$failed" = 0 ]

# --- Python --------------------------------------------------------------------------------------
step "Python tests"
(cd vnaccs-py && VIRTUAL_ENV=$venv PATH=$venv/bin:$PATH maturin develop --quiet)
"$venv/bin/python" -m pytest -q tests/python
step "Python typing: the stubs against the module; mypy --strict on the package and the tests"
"$venv/bin/python" -m mypy.stubtest vnaccs
"$venv/bin/python" -m mypy --strict vnaccs-py/python/vnaccs tests/python
