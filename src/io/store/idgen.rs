//! Ids for documents sent without one, shaped as Elasticsearch's: 20 URL-safe base64
//! characters of 15 bytes (time, a counter, and bytes this process drew at start), so ids
//! sort roughly by time and two servers never make the same.

use base64::Engine as _;
use std::hash::{BuildHasher, Hasher};

pub struct Ids {
    node: [u8; 6],
    counter: u32,
}

impl Ids {
    pub fn new() -> Ids {
        // A randomly keyed hasher is this process's entropy (no crate needed for six bytes).
        let mut h = ahash::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        let bytes = h.finish().to_be_bytes();
        let mut node = [0u8; 6];
        node.copy_from_slice(&bytes[..6]);
        Ids { node, counter: (h.finish() >> 40) as u32 }
    }

    /// The next id.
    pub fn next(&mut self) -> String {
        self.counter = self.counter.wrapping_add(1);
        let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
        let mut bytes = [0u8; 15];
        bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
        bytes[6..9].copy_from_slice(&self.counter.to_be_bytes()[1..]);
        bytes[9..].copy_from_slice(&self.node);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_twenty_characters_and_distinct() {
        let mut ids = super::Ids::new();
        let (a, b) = (ids.next(), ids.next());
        assert_eq!((a.len(), b.len()), (20, 20));
        assert_ne!(a, b);
    }
}
