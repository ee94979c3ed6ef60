//! Data sources: a directory whose files and folders are indices. Knows no plan.
//!
//! `NAME.ndjson`, `NAME.ndjson.gz`, `NAME.json` (NDJSON), `NAME.parquet`, `NAME.arrow` (Arrow
//! IPC file), `NAME.arrows` (Arrow IPC stream) or a folder `NAME/` of such parts
//! is the index `NAME`; `NAME.mapping.json` beside it gives its mapping. Field types come
//! from the mapping, else the ECS table, else the JSON values.
//!
//! - [`catalog`]: the indices of a directory, their mappings and fields, FROM patterns;
//! - [`scan`]: the scheduler that reads the parts of every format on worker threads, in
//!   order, with the query's prefilter;
//! - [`ndjson`]: NDJSON bytes to batches (scanner, skipping, path trie, discovery);
//! - [`columnar`]: Parquet and Arrow IPC parts; [`json`]: JSON values to ES|QL values;
//! - [`files`]: size-capped reads and atomic writes of whole user files.

pub mod catalog;
pub mod columnar;
mod error;
pub mod files;
pub mod json;
pub mod ndjson;
pub mod scan;
pub mod store;

pub use catalog::schema::{FieldInfo, TypeSource};
pub use catalog::{DataDir, Index};
pub use error::Error;
pub use scan::{OnError, Scan, ScanStats};
