//! The ECS field-type table, embedded in the binary.
//!
//! `ecs-field-types.tsv` beside this file is Apache-2.0 data from elastic/ecs v9.4.0
//! (`generated/ecs/ecs_flat.yml`, commit 354fd8d0ca99faa15405d1ea1d3bb396724d3e5a); its
//! first line says so. Columns: field, Elasticsearch mapping type, `array` when ECS expects
//! a list.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("ecs-field-types.tsv");

/// ECS's allowed values of the categorization fields (`event.kind`, `event.category`,
/// `event.type`, `event.outcome`), from the same ECS release; the first line says so.
const ALLOWED: &str = include_str!("ecs-allowed-values.tsv");

/// One ECS field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcsField {
    /// The Elasticsearch mapping type (`keyword`, `ip`, `date`, `flattened`, ...).
    pub mapping_type: &'static str,
    /// ECS says producers emit a list (`event.category`).
    pub array: bool,
}

fn table() -> &'static HashMap<&'static str, EcsField> {
    static T: OnceLock<HashMap<&'static str, EcsField>> = OnceLock::new();
    T.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let (name, ty) = (cols.next()?, cols.next()?);
                Some((name, EcsField { mapping_type: ty, array: cols.next() == Some("array") }))
            })
            .collect()
    })
}

/// The ECS definition of `field`, if ECS defines it.
pub fn lookup(field: &str) -> Option<EcsField> {
    table().get(field).copied()
}

/// The values ECS allows in `field` (`event.outcome`: failure, success, unknown), for the
/// categorization fields; `None` for any other field.
pub fn allowed_values(field: &str) -> Option<&'static [&'static str]> {
    static T: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    let t = T.get_or_init(|| {
        let mut t: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for l in ALLOWED.lines().filter(|l| !l.starts_with('#')).skip(1) {
            if let Some((field, value)) = l.split_once('\t') {
                t.entry(field).or_default().push(value);
            }
        }
        t
    });
    t.get(field).map(Vec::as_slice)
}

/// Every ECS field name.
pub fn names() -> impl Iterator<Item = &'static str> {
    table().keys().copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_seed_rule_fields_are_typed() {
        assert_eq!(super::lookup("source.ip").map(|f| f.mapping_type), Some("ip"));
        assert_eq!(super::lookup("@timestamp").map(|f| f.mapping_type), Some("date"));
        assert!(super::lookup("event.category").is_some_and(|f| f.array));
        assert_eq!(super::lookup("no.such.field"), None);
        assert_eq!(super::allowed_values("event.outcome"), Some(&["failure", "success", "unknown"][..]));
        assert_eq!(super::allowed_values("event.action"), None);
    }
}
