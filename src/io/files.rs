//! Whole files a user hands us or we rewrite for them. Read: with a size cap, so that
//! `/dev/zero` or a multi-gigabyte file stops with an error instead of filling memory.
//! Written: atomically; the bytes go to a temporary file in the same folder, are flushed to
//! disk, and take the name by a rename, so a full disk, a crash or a kill half-way leaves the
//! old file as it was.

use crate::io::Error;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest query, rule, test or mapping file read: a query is at most a million
/// characters, and a TOML or mapping file holds little more.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// A text file, refused past [`MAX_TEXT_BYTES`] or when not UTF-8.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let file = File::open(path).map_err(|e| Error::file(path, e))?;
    read_capped(file, &path.display().to_string())
}

/// Text from a reader (standard input), with the same cap; `name` labels errors.
pub fn read_capped(r: impl Read, name: &str) -> Result<String, Error> {
    let mut bytes = Vec::new();
    r.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Error::File(format!("{name}: {e}")))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(Error::Data(format!(
            "{name}: larger than {MAX_TEXT_BYTES} bytes, too large for a query, rule or mapping file"
        )));
    }
    String::from_utf8(bytes).map_err(|_| Error::Data(format!("{name}: not valid UTF-8")))
}

/// Writes `bytes` to `path` atomically, keeping the permissions of a file it replaces.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_with(path, |mut file| std::io::Write::write_all(&mut file, bytes).map_err(|e| Error::file(path, e)))
}

/// Creates the temporary file, lets `fill` write it (the file is `fill`'s to close), then
/// flushes it and renames it over `path`. On any error the temporary file is removed.
pub fn write_with<T>(path: &Path, fill: impl FnOnce(File) -> Result<T, Error>) -> Result<T, Error> {
    let err = |e: &dyn std::fmt::Display| Error::file(path, e);
    let tmp = temp_name(path);
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(|e| err(&e))?;
    let done = fill(file).and_then(|value| {
        // Closed by `fill`; a second handle flushes the same inode.
        File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| err(&e))?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions()).map_err(|e| err(&e))?;
        }
        std::fs::rename(&tmp, path).map_err(|e| err(&e))?;
        sync_parent(path);
        Ok(value)
    });
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// `.NAME.esql-PID.tmp` beside `path`: hidden, and in the same file system so the rename is
/// atomic.
fn temp_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.esql-{}.tmp", std::process::id()))
}

/// Removes the temporary files of writes that never finished (a crash, a kill) from `dir`.
/// Only when no write runs: at start-up.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".tmp") && name.contains(".esql-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Makes the rename itself durable (best effort: not every file system allows it).
fn sync_parent(path: &Path) {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(dir) = File::open(parent) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = std::env::temp_dir().join(format!("esql-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("rule.esql");
        std::fs::write(&path, "FROM a\n").expect("seed");
        let failed: Result<(), Error> = write_with(&path, |mut f| {
            std::io::Write::write_all(&mut f, b"FROM b | WHE").expect("partial");
            Err("disk full".into())
        });
        assert_eq!(failed, Err("disk full".into()));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "FROM a\n");
        write(&path, b"FROM c\n").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "FROM c\n");
        let left: Vec<_> = std::fs::read_dir(&dir).expect("list").collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
