//! Unit tests of GROK's and DISSECT's matchers.

use super::*;

/// `\d`, `\w` and `\s` are ASCII classes in joni's Ruby syntax, also inside brackets and
/// negated; `\b` stays Unicode (`WORD_BOUND_ALL_RANGE`), so `\b\w+\b` finds no word in
/// `café` (the `é` is a word character to `\b`, not to `\w`). Both the twin and the
/// backtracker see the same classes.
#[test]
fn shorthand_classes_are_ascii_as_in_joni() {
    let cases = [
        ("(?<n>\\d+)", "\u{663}\u{664}45", Some("45")),
        ("(?<n>[\\d.]+)", "\u{663}.1.2", Some(".1.2")),
        ("(?<n>\\D+)", "\u{663}\u{664}45", Some("\u{663}\u{664}")),
        ("%{WORD:n}", "café au lait", Some("au")),
        ("(?<n>\\w+)", "naïve", Some("na")),
        ("(?<n>\\W+)", "naïve", Some("\u{ef}")),
        ("a(?<n>\\s+)b", "a\u{a0}b a \tb", Some(" \t")),
        ("(?<n>[^\\s]+)", "\u{a0}x y", Some("\u{a0}x")),
        ("(?<n>\\S+)", "\u{2003}", Some("\u{2003}")),
    ];
    for (pattern, text, want) in cases {
        let g = Grok::compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        let mut fancy = g.clone();
        fancy.relaxed = None;
        let got = |g: &Grok| g.extract(text).map(|v| v[0].clone());
        let want = want.map(|w| vec![Value::Str(Cow::Owned(w.to_string()))]);
        assert_eq!(got(&g), want, "{pattern} on {text:?}");
        assert_eq!(got(&fancy), want, "{pattern} on {text:?}, backtracker alone");
    }
}

#[test]
fn a_literal_prefix_is_what_every_match_starts_with() {
    let cases = [
        ("\"ip\":\"%{IP:ip}\"", Some("\"ip\":\"")),
        ("user=%{WORD:u}", Some("user=")),
        ("users?=%{WORD:u}", Some("user")),
        ("a\\.b%{WORD:u}", Some("a")),
        ("%{WORD:u} x", None),
        ("(?i)user=%{WORD:u}", None),
        ("a=%{WORD:u}|b=%{WORD:u}", None),
    ];
    for (pattern, want) in cases {
        assert_eq!(literal_prefix(pattern).as_deref(), want, "{pattern}");
    }
    let g = Grok::compile("x=%{NUMBER:n:int}");
    assert!(g.is_ok());
    let g = g.unwrap_or_else(|_| unreachable!());
    assert_eq!(g.extract("a x=1 x=2").map(|v| v[0].clone()), Some(vec![Value::Int(1)]));
    assert_eq!(g.extract("no match here"), None);
}

#[test]
fn grok_extracts_typed_fields_anywhere() {
    let g = Grok::compile("%{WORD:a} %{NUMBER:n:int}").expect("compile");
    let v = g.extract("xx foo 42 yy").expect("match");
    assert_eq!(v, vec![vec![Value::Str("foo".into())], vec![Value::Int(42)]]);
    assert!(g.extract("nothing").is_none());
}

#[test]
fn dissect_splits_on_delimiters() {
    let d = Dissect::compile("%{a} %{b->} %{+a}", "-").expect("compile");
    assert_eq!(d.fields.len(), 2);
    let v = d.extract("x y  z").expect("match");
    assert_eq!(v, vec![vec![Value::Str("x-z".into())], vec![Value::Str("y".into())]]);
}

#[test]
fn dissect_appends_in_slash_n_order() {
    let d = Dissect::compile("%{+name/2} %{+name/4} %{+name/3} %{+name/1}", ",").expect("compile");
    let v = d.extract("john jacob jingleheimer schmidt").expect("match");
    assert_eq!(v, vec![vec![Value::Str("schmidt,john,jingleheimer,jacob".into())]]);
}
