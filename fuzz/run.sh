#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each, one after another, one job each (libFuzzer
# through cargo-fuzz, on the nightly toolchain). The committed seeds (fuzz/corpus/<target>/) and
# regressions (fuzz/regressions/<target>/) are read-only inputs; new corpus entries go to
# target/fuzz-corpus/<target>/ and crashes to target/fuzz-artifacts/<target>/ (both uncommitted).
# Prints, per target, libFuzzer's final stats (executions, speed, new units) and the crashes.
#   fuzz/run.sh 600                  every target, 10 minutes each
#   fuzz/run.sh 60 certificate c_abi  only these targets
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(certificate portal_page json_document identifier c_abi)
build=$root/target/fuzz
bins=$build/x86_64-unknown-linux-gnu/release
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
(cd fuzz && cargo +nightly fuzz build --target-dir "$build")
summary=()
for target in "${targets[@]}"; do
  work=$root/target/fuzz-corpus/$target
  artifacts=$root/target/fuzz-artifacts/$target
  log=$root/target/fuzz-logs/$target.log
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  inputs=("$work" "fuzz/corpus/$target")
  [ -d "fuzz/regressions/$target" ] && inputs+=("fuzz/regressions/$target")
  options=(-max_total_time="$seconds" -print_final_stats=1 -timeout=60 -rss_limit_mb=2048
    -artifact_prefix="$artifacts/")
  [ -f "fuzz/dict/$target.dict" ] && options+=(-dict="fuzz/dict/$target.dict")
  echo "==> $target: ${seconds}s"
  status=0
  "$bins/$target" "${options[@]}" "${inputs[@]}" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: //p' "$log" | tail -n 1)
  added=$(sed -n 's/^stat::new_units_added: //p' "$log" | tail -n 1)
  crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  slow=$(find "$artifacts" -type f -name 'slow-unit-*' | wc -l)
  corpus=$(find "$work" -type f | wc -l)
  line="$target: ${runs:-?} executions, ${speed:-?} exec/s, ${added:-?} new units, corpus $corpus (+ $(find "fuzz/corpus/$target" -type f | wc -l) seeds), crashes $crashes, slow units $slow, exit $status"
  echo "$line"
  grep -E '^(#[0-9]+ *DONE|Done [0-9]+ runs)' "$log" | tail -n 1 || true
  summary+=("$line")
done
echo
echo "==> summary (logs in target/fuzz-logs/, crashes in target/fuzz-artifacts/)"
printf '%s\n' "${summary[@]}"
