//! Index-pattern resolution as Elasticsearch's multi-target syntax does it: patterns are
//! applied in order, `*` matches any string, `-pattern` removes earlier matches, and hidden
//! names (leading `.`) only match patterns that start with `.`.

use crate::io::Error;
pub use crate::wildcard::glob;

/// The names of `available` selected by `patterns`, in `available`'s order, or an error
/// naming the patterns that matched nothing.
pub fn resolve<'a>(patterns: &[String], available: &'a [String]) -> Result<Vec<&'a str>, crate::io::Error> {
    let mut selected = vec![false; available.len()];
    let mut matched_any = false;
    for p in patterns {
        if let Some(excl) = p.strip_prefix('-').filter(|_| matched_any) {
            for (k, name) in available.iter().enumerate() {
                if glob(excl, name) {
                    selected[k] = false;
                }
            }
            continue;
        }
        for (k, name) in available.iter().enumerate() {
            let hidden_ok = !name.starts_with('.') || p.starts_with('.');
            if hidden_ok && glob(p, name) {
                selected[k] = true;
                matched_any = true;
            }
        }
    }
    let names: Vec<&str> = available.iter().zip(&selected).filter(|(_, s)| **s).map(|(n, _)| n.as_str()).collect();
    if names.is_empty() {
        return Err(Error::UnknownIndex(format!("Unknown index [{}]", patterns.join(","))));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn patterns_follow_multi_target_syntax() {
        let avail =
            names(&["logs-a-default", "logs-b-default", "logs-test", ".alerts-security.alerts-default", "other"]);
        let r = |p: &[&str]| resolve(&names(p), &avail);
        assert_eq!(r(&["logs-*"]).unwrap(), ["logs-a-default", "logs-b-default", "logs-test"]);
        assert_eq!(r(&["logs-*", "-logs-test"]).unwrap(), ["logs-a-default", "logs-b-default"]);
        assert_eq!(r(&["*"]).unwrap().len(), 4);
        assert_eq!(r(&[".alerts-security.*"]).unwrap(), [".alerts-security.alerts-default"]);
        assert_eq!(r(&["logs-a-*", "nomatch-*"]).unwrap(), ["logs-a-default"]);
        assert!(r(&["nothing*"]).is_err());
        assert!(glob("*a*b", "xaxxb"));
        assert!(!glob("a*b", "ab c"));
        assert!(glob("logs-o365.audit-*", "logs-o365.audit-default"));
    }
}
