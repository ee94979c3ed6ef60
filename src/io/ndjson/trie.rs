//! The member paths a decoder reads, one node per dotted segment: the scanner names each
//! member by walking from its object's node, so a member nobody reads costs a comparison
//! of its name's first byte with a few children, and no path is ever built or hashed.
//! Dotted keys (`"event.dataset"`) walk several segments at once, so they meet the same
//! node as nested objects (`"event":{"dataset"}`).

use crate::io::ndjson::scanner::Want;

/// A node: a path to walk into ([`Want::Descend`]) or read ([`Want::Take`]).
#[derive(Debug)]
pub(crate) struct Node<T> {
    children: Vec<(Box<[u8]>, u32)>,
    /// What the scanner does with the member.
    pub want: Want,
    /// What reading it feeds, for the paths read.
    pub target: Option<T>,
}

/// Paths as a trie; node 0 is the document.
#[derive(Debug)]
pub(crate) struct Trie<T>(Vec<Node<T>>);

impl<T> Trie<T> {
    /// The trie of `paths` (dotted, as bytes), each read into its target.
    pub fn new<'p>(paths: impl IntoIterator<Item = (&'p [u8], T)>) -> Trie<T> {
        let fresh = || Node { children: Vec::new(), want: Want::Descend, target: None };
        let mut nodes = vec![fresh()];
        for (path, target) in paths {
            let mut at = 0usize;
            for seg in path.split(|&b| b == b'.') {
                let found = nodes[at].children.iter().find(|(k, _)| **k == *seg).map(|(_, n)| *n as usize);
                at = found.unwrap_or_else(|| {
                    nodes.push(fresh());
                    let n = nodes.len() - 1;
                    nodes[at].children.push((seg.into(), n as u32));
                    n
                });
            }
            nodes[at].want = Want::Take;
            nodes[at].target = Some(target);
        }
        Trie(nodes)
    }

    /// Node `n`.
    pub fn node(&self, n: u32) -> Option<&Node<T>> {
        self.0.get(n as usize)
    }

    /// The node of member `key` (dotted or not) of `node`: each step takes the child whose
    /// name is the key's next segment, compared in place (most keys differ at once).
    #[inline]
    pub fn member(&self, mut node: u32, key: &[u8]) -> Option<u32> {
        let mut rest = key;
        loop {
            let children = &self.node(node)?.children;
            let (child, used) = children.iter().find_map(|(name, c)| {
                let head = rest.get(..name.len())?;
                let whole = matches!(rest.get(name.len()), None | Some(b'.'));
                (whole && head.first() == name.first() && head == &name[..]).then_some((*c, name.len()))
            })?;
            node = child;
            if used == rest.len() {
                return Some(node);
            }
            rest = &rest[used + 1..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_dotted_keys_meet_the_same_node() {
        let t = Trie::new([(&b"event.dataset"[..], 1), (&b"@timestamp"[..], 2), (&b"a.b.c"[..], 3)]);
        let event = t.member(0, b"event").expect("event");
        assert_eq!(t.node(event).map(|n| n.want), Some(Want::Descend));
        let nested = t.member(event, b"dataset");
        assert_eq!(nested, t.member(0, b"event.dataset"));
        assert_eq!(nested.and_then(|n| t.node(n)?.target), Some(1));
        let ab = t.member(0, b"a.b").expect("a.b");
        assert_eq!(t.member(ab, b"c"), t.member(0, b"a.b.c"));
        for miss in [&b"eventx"[..], b"even", b"event.data", b"event.dataset.x", b"", b".event", b"@timestamp."] {
            assert_eq!(t.member(0, miss).and_then(|n| t.node(n)?.target), None, "{}", String::from_utf8_lossy(miss));
        }
    }
}
