//! Elasticsearch's csv-spec test format: reading test files (the runner builds on it).

mod reader;

pub use reader::{read_spec, split_cells, SpecTest};
