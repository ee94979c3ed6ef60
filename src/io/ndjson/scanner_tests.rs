//! The scanner on hand-written documents: what it names, skips and refuses.

use super::*;

struct All(Paths, Vec<(String, String)>);
impl Visitor for All {
    fn want(&mut self, parent: u32, key: &[u8]) -> (Want, u32) {
        let node = self.0.enter(parent, key);
        let path = self.0.get(node);
        let want = if path == b"geo" {
            Want::Take
        } else if path.starts_with(b"skip") {
            Want::Skip
        } else {
            Want::Descend
        };
        (want, node)
    }
    fn take(&mut self, node: u32, raw: &[u8]) -> bool {
        let path = String::from_utf8_lossy(self.0.get(node)).into_owned();
        let go_on = path != "stop" && !path.ends_with(".stop");
        self.1.push((path, String::from_utf8_lossy(raw).into_owned()));
        go_on
    }
}

fn run(doc: &str) -> R<Vec<(String, String)>> {
    let mut v = All(Paths::default(), vec![]);
    scan(doc.as_bytes(), &mut v)?;
    Ok(v.1)
}

#[test]
fn paths_are_dotted_and_arrays_descended() {
    let got = run(r#" {"a":{"b":1,"c.d":[true,null,"x\"y"]},"e":[{"f":-1.5e3}],"geo":{"lat":1},"skip":{"z":[1]}} "#);
    let want = [("a.b", "1"), ("a.c.d", "true"), ("a.c.d", r#""x\"y""#), ("e.f", "-1.5e3"), ("geo", r#"{"lat":1}"#)];
    let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(got.expect("valid"), want);
}

#[test]
fn a_visitor_can_stop_the_scan_and_learn_where() {
    let doc = r#"{"a":1,"stop":"x","b":2,"#;
    let mut v = All(Paths::default(), vec![]);
    let at = scan(doc.as_bytes(), &mut v).expect("stopped before the broken tail").expect("stopped");
    assert_eq!(&doc[at.at..], r#","b":2,"#);
    assert_eq!(at.open, crate::io::ndjson::skip::Open::of(&[true]));
    assert_eq!(v.1.len(), 2);
    // The containers open where it stopped, outermost first.
    let doc = r#"{"a":[{"b":{"stop":1}}],"c":2}"#;
    let at = scan(doc.as_bytes(), &mut All(Paths::default(), vec![])).expect("valid").expect("stopped");
    assert_eq!(&doc[at.at..], r#"}}],"c":2}"#);
    assert_eq!(at.open, crate::io::ndjson::skip::Open::of(&[true, false, true, true]));
}

#[test]
fn the_quote_search_finds_the_first_quote_or_backslash() {
    for len in 0..150 {
        for at in (0..len).step_by(7) {
            let mut v = vec![b'a'; len];
            v[at] = b'"';
            if at + 3 < len {
                v[at + 3] = b'"';
            }
            assert_eq!(find_quote_or_backslash(&v), Some(at), "len {len} at {at}");
            v[at] = b'\\';
            assert_eq!(find_quote_or_backslash(&v), Some(at), "len {len} at {at}");
        }
        assert_eq!(find_quote_or_backslash(&vec![0xA2; len]), None);
    }
}

#[test]
fn escaped_quotes_and_backslashes_end_strings_correctly() {
    let got = run(r#"{"a":"x\\","b":"y\"z","c":"\\\""}"#).expect("valid");
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["a", "b", "c"]);
    assert_eq!(got[1].1, r#""y\"z""#);
}

#[test]
fn escaped_member_names_are_decoded() {
    assert_eq!(run(r#"{"a\u002eb":1}"#).expect("valid"), [("a.b".to_string(), "1".to_string())]);
}

#[test]
fn malformed_documents_are_refused_even_in_skipped_parts() {
    for bad in [
        "",
        "[1]",
        r#"{"a":1"#,
        r#"{"a":1}x"#,
        r#"{"skip":[1,}"#,
        r#"{"skip":{"z":1]}"#,
        r#"{"skip":{"z":"1}}"#,
        r#"{"a":"unterminated}"#,
        r#"{"a":01x}"#,
        r#"{"a":-}"#,
        r#"{a:1}"#,
        r#"{"a":{"b":tru}}"#,
    ] {
        assert!(run(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_grammar_inside_skipped_containers_is_not_checked() {
    // Documented in io/skip.rs: only strings and brackets are checked there.
    for lax in [r#"{"skip":{"z":tru}}"#, r#"{"skip":{1:2}}"#, r#"{"skip":{"z" 1}}"#] {
        assert!(run(lax).is_ok(), "{lax}");
    }
    let deep = format!("{{\"skip\":{}{}}}", "[".repeat(300), "]".repeat(300));
    assert!(run(&deep).is_err());
}
