//! `lookback`: a rule whose look-back is longer than its interval (overlapping runs,
//! duplicate alerts) or shorter (gaps).

/// The `lookback` lint for a detection rule TOML: Kibana runs the rule every `interval`
/// over `[now - from, now]` (the schedule is read by [`query_file::schedule`]).
///
/// [`query_file::schedule`]: crate::authoring::query_file::schedule
pub fn schedule_findings(toml_text: &str) -> Vec<String> {
    let Ok(Some(s)) = crate::authoring::query_file::schedule(toml_text) else { return vec![] };
    let Some(every) = s.every else { return vec![] };
    let (f, i, from, interval) = (s.lookback.minutes(), every.minutes(), &s.from, &s.interval);
    if f > i + 5 {
        vec![format!("warning[lookback]: from = \"{from}\" looks back {f} minutes but the rule runs every {interval}: each event is seen by about {} runs, so the same activity can alert repeatedly\n  = hint: set from to the interval plus a few minutes of lag, or rely on alert suppression", f / i.max(1))]
    } else if f < i {
        vec![format!("warning[lookback]: from = \"{from}\" is shorter than the interval {interval}: events between runs are never seen\n  = hint: make from at least as long as the interval")]
    } else {
        vec![]
    }
}
