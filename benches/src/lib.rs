//! Benchmarks of vnaccs live in `benches/benches`; run them with `cargo bench -p vnaccs-benches`.
