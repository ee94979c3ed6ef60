//! What reading data can fail on, as one type at `io`'s boundary. Each variant keeps the
//! message a user reads (it names the file, index or line); the engine decides what is a
//! fault of the query (an unknown index) and what is a runtime error (everything else).

/// A failure of `io`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// FROM patterns that select no index.
    #[error("{0}")]
    UnknownIndex(String),
    /// A file or folder that cannot be opened, read or written.
    #[error("{0}")]
    File(String),
    /// Data that breaks its format or a limit: a malformed line when lines must not be
    /// skipped, a broken Parquet or Arrow part, a mapping that does not parse, a line
    /// over the cap.
    #[error("{0}")]
    Data(String),
    /// The scan itself broke (a decoding thread stopped).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// `path: reason`, for a file that cannot be opened, read or written.
    pub fn file(path: &std::path::Path, reason: impl std::fmt::Display) -> Error {
        Error::File(format!("{}: {reason}", path.display()))
    }
}

/// Messages built with `format!` are data errors unless said otherwise.
impl From<String> for Error {
    fn from(message: String) -> Error {
        Error::Data(message)
    }
}

impl From<&str> for Error {
    fn from(message: &str) -> Error {
        Error::Data(message.to_string())
    }
}

/// Front ends that speak in messages take an `io` error as its text.
impl From<Error> for String {
    fn from(e: Error) -> String {
        e.to_string()
    }
}
