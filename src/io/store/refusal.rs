//! Why a write is refused, in Elasticsearch's terms (status, exception type, reason), and the
//! checks every write makes first: index names and document ids as ES checks them. The index
//! name rules also keep every name a plain file name inside the data directory.

/// A refused write: what ES answers for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// ES's exception type (`version_conflict_engine_exception`, ...).
    pub kind: &'static str,
    /// ES's reason text.
    pub reason: String,
}

impl Refusal {
    /// A 400 of `kind`.
    pub fn bad(kind: &'static str, reason: impl Into<String>) -> Refusal {
        Refusal { status: 400, kind, reason: reason.into() }
    }

    /// A failure of the machine (a disk full, a folder not writable): ES's 500.
    pub fn io(e: impl std::fmt::Display) -> Refusal {
        Refusal { status: 500, kind: "exception", reason: e.to_string() }
    }
}

/// ES's rules for an index name: lower case, none of `\ / * ? " < > | , # :` or space, not
/// starting with `-`, `_` or `+`, not `.` or `..`, at most 255 bytes.
pub fn check_index_name(name: &str) -> Result<(), Refusal> {
    let invalid =
        |why: &str| Err(Refusal::bad("invalid_index_name_exception", format!("Invalid index name [{name}], {why}")));
    if name.is_empty() || name == "." || name == ".." {
        return invalid("must not be '.' or '..'");
    }
    if name.len() > 255 {
        return invalid("index name is too long, (> 255)");
    }
    if name.starts_with(['-', '_', '+']) {
        return invalid("must not start with '_', '-', or '+'");
    }
    if name.chars().any(|c| c.is_uppercase()) {
        return invalid("must be lowercase");
    }
    if name
        .chars()
        .any(|c| matches!(c, '\\' | '/' | '*' | '?' | '"' | '<' | '>' | '|' | ' ' | ',' | '#' | ':') || c.is_control())
    {
        return invalid("must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?, #, :]");
    }
    Ok(())
}

/// ES's limit on a document id.
pub fn check_id(id: &str) -> Result<(), Refusal> {
    if id.is_empty() {
        return Err(Refusal::bad("action_request_validation_exception", "Validation Failed: 1: id is missing;"));
    }
    if id.len() > 512 {
        let reason = format!(
            "Validation Failed: 1: id [{id}] is too long, must be no longer than 512 bytes but was: {};",
            id.len()
        );
        return Err(Refusal::bad("action_request_validation_exception", reason));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{check_id, check_index_name};

    #[test]
    fn names_stay_inside_the_data_directory() {
        for bad in ["../etc", "a/b", "..", ".", "_x", "-x", "A", "a b", "a\0b", "/abs", "a\\b", "a:b"] {
            assert!(check_index_name(bad).is_err(), "{bad:?}");
        }
        for good in ["logs-a-default", ".alerts-x", "threat-intel", "a.b"] {
            assert!(check_index_name(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn ids_are_bounded() {
        assert!(check_id("").is_err());
        assert!(check_id(&"x".repeat(513)).is_err());
        assert!(check_id("../../etc/passwd").is_ok(), "an id is data, never a path");
    }
}
