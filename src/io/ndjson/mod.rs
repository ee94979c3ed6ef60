//! NDJSON bytes to record batches: a targeted scanner walks each document without building
//! it, a trie of the wanted member paths names each value, unread containers are skipped 64
//! bytes at a time, and field discovery reads the same bytes to learn the fields.

pub(crate) mod decode;
pub(crate) mod discover;
pub(crate) mod index_plan;
pub(crate) mod pathmap;
pub mod scanner;
pub(crate) mod skip;
pub(crate) mod trie;
