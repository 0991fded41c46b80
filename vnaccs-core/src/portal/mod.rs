//! The customs portal client: the site profile (`profile.toml`, kept as data), WebForms
//! handling, and one method per portal operation of domain.md §4.
