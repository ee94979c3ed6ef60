//! `lookback`: a rule whose look-back is longer than its interval (overlapping runs,
//! duplicate alerts) or shorter (gaps).

use super::Finding;
use crate::diagnostic::{Diagnostic, Severity};

/// The `lookback` lint for a detection rule TOML: Kibana runs the rule every `interval`
/// over `[now - from, now]` (the schedule is read by [`query_file::schedule`]). Spans are
/// in the TOML text (on its `from = ` line).
///
/// [`query_file::schedule`]: crate::authoring::query_file::schedule
pub fn schedule_findings(toml_text: &str) -> Vec<Finding> {
    let Ok(Some(s)) = crate::authoring::query_file::schedule(toml_text) else { return vec![] };
    let Some(every) = s.every else { return vec![] };
    let (f, i, from, interval) = (s.lookback.minutes(), every.minutes(), &s.from, &s.interval);
    let (message, hint) = if f > i + 5 {
        let runs = f / i.max(1);
        (format!("from = \"{from}\" looks back {f} minutes but the rule runs every {interval}: each event is seen by about {runs} runs, so the same activity can alert repeatedly"),
         "set from to the interval plus a few minutes of lag, or rely on alert suppression")
    } else if f < i {
        (
            format!("from = \"{from}\" is shorter than the interval {interval}: events between runs are never seen"),
            "make from at least as long as the interval",
        )
    } else {
        return vec![];
    };
    // The `from = ...` line, where a reader would change it.
    let span = toml_text.lines().scan(0, |at, l| {
        let start = *at;
        *at += l.len() + 1;
        Some((start, l))
    });
    let span = span.filter(|(_, l)| l.trim_start().starts_with("from")).map(|(s, l)| (s, s + l.len())).next();
    let diagnostic =
        Diagnostic { severity: Severity::Warning, message, span, hints: vec![hint.to_string()], column: None };
    vec![Finding { id: "lookback", diagnostic, fix: None }]
}
