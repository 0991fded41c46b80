//! The simulated customs portal (feature `sandbox`): both customs websites of domain.md §4 and
//! Customs' back office, served over HTTP on a loopback address.
