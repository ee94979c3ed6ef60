//! The distinct values of one group (`count_distinct`, `values`), in first-seen order, each
//! stored once. Most groups of a detection rule's STATS hold a handful of values (the
//! datasets or outcomes of one user or address), so a small set is a list compared
//! directly; past [`FEW`] values it gains a hash index. A hash set per group hashed every
//! row's value and probed a table for one or two entries: most of a STATS's time.

use crate::types::value::keyed_hasher as hasher;
use crate::types::Value;
use hashbrown::HashTable;

/// Values held before a hash index pays for itself.
const FEW: usize = 8;

/// Distinct values in first-seen order.
#[derive(Default)]
pub struct ValueSet {
    items: Vec<Value<'static>>,
    /// Positions in `items` by hash, once there are more than [`FEW`].
    index: Option<HashTable<u32>>,
}

impl ValueSet {
    /// Adds `v` unless held; true when it was new.
    pub fn insert(&mut self, v: &Value<'_>) -> bool {
        let Some(index) = &mut self.index else {
            if self.items.iter().any(|x| x == v) {
                return false;
            }
            self.items.push(v.clone().into_owned());
            if self.items.len() > FEW {
                self.index = Some(Self::build(&self.items));
            }
            return true;
        };
        let h = hasher().hash_one(v);
        let items = &mut self.items;
        if index.find(h, |&k| items[k as usize] == *v).is_some() {
            return false;
        }
        let k = items.len() as u32;
        items.push(v.clone().into_owned());
        index.insert_unique(h, k, |&k| hasher().hash_one(&items[k as usize]));
        true
    }

    fn build(items: &[Value<'static>]) -> HashTable<u32> {
        let mut t = HashTable::with_capacity(items.len() * 2);
        for (k, v) in items.iter().enumerate() {
            t.insert_unique(hasher().hash_one(v), k as u32, |&k| hasher().hash_one(&items[k as usize]));
        }
        t
    }

    /// How many values it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Its values, in first-seen order.
    pub fn items(&self) -> &[Value<'static>] {
        &self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn each_value_once_in_first_seen_order_small_or_large() {
        for n in [3usize, FEW, FEW + 1, 1000] {
            let mut s = ValueSet::default();
            for round in 0..3 {
                for i in (0..n).rev() {
                    let v = Value::Str(Cow::Owned(format!("v{i}")));
                    assert_eq!(s.insert(&v), round == 0, "n={n} i={i} round={round}");
                }
            }
            assert_eq!(s.len(), n);
            let want: Vec<Value<'static>> = (0..n).rev().map(|i| Value::Str(Cow::Owned(format!("v{i}")))).collect();
            assert_eq!(s.items(), want.as_slice());
        }
    }

    #[test]
    fn equal_values_of_one_kind_are_one_value() {
        let mut s = ValueSet::default();
        assert!(s.insert(&Value::Double(0.0)));
        assert!(!s.insert(&Value::Double(-0.0)), "0.0 and -0.0 are one value, as Value's Eq says");
        assert!(s.insert(&Value::Long(0)));
        for i in 0..20 {
            s.insert(&Value::Long(i));
        }
        assert!(!s.insert(&Value::Double(-0.0)), "the same once indexed");
        assert_eq!(s.len(), 21);
    }
}
