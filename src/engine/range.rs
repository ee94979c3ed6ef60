//! Time: the range Kibana gives a query (`--from/--to`, the REPL's `.range`), and the hint
//! for a query over dated data that returns nothing because `now()` is far from the data.

use super::{Engine, Output};
use crate::plan::{LogicalPlan, Source};
use crate::types::{Cell, Value};

/// The time field Kibana's range filters and the hint reads.
const TIME_FIELD: &str = "@timestamp";

impl Engine {
    /// Sets the time range as Kibana passes it: `?_tstart`/`?_tend` (RFC 3339 or date math
    /// such as `now-24h`, against the `now` in force) and a filter on `@timestamp` (both
    /// ends in); `None` for both clears it.
    pub fn set_range(&mut self, from: Option<&str>, to: Option<&str>) -> Result<(), String> {
        self.params.named.retain(|(n, _)| n != "_tstart" && n != "_tend");
        self.filter = None;
        let now = self.now_ms.unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        let mut bounds = Vec::new();
        for (flag, name, text) in [("--from", "_tstart", from), ("--to", "_tend", to)] {
            let Some(text) = text else {
                bounds.push(None);
                continue;
            };
            let ms = crate::search::analysis::date_math(text, now, crate::types::zone::Zone::UTC)
                .ok_or_else(|| format!("{flag}: cannot read [{text}] as a date or date math (now-24h)"))?;
            let iso = crate::types::Value::Date(ms).render();
            crate::params::add_flag(&mut self.params, &format!("{name}={}", serde_json::json!(iso)))?;
            bounds.push(Some((iso, true)));
        }
        if bounds.iter().any(Option::is_some) && self.has_field(TIME_FIELD) {
            let test = crate::search::Test::Range { lower: bounds[0].clone(), upper: bounds[1].clone() };
            self.filter = Some(crate::search::Query::Leaf(vec![TIME_FIELD.into()], test));
        }
        Ok(())
    }

    /// The range set, as `(from, to)` in RFC 3339.
    pub fn range(&self) -> (Option<String>, Option<String>) {
        let get = |name: &str| {
            self.params.named.iter().find(|(n, _)| n == name).map(|(_, v)| match v {
                crate::syntax::ParamValue::Value(l) => l.to_string().trim_matches('"').to_string(),
                other => format!("{other:?}"),
            })
        };
        (get("_tstart"), get("_tend"))
    }

    /// A one-line hint when `text` found nothing (no rows, or a step that let none through)
    /// although its indices hold documents, because of time: with a range set, the data's
    /// `@timestamp` span lies outside it; with `now()`, the query finds rows when `now()` is
    /// the data's end (or start). The hint gives the span, the `now` in force, how to pin it.
    pub fn time_hint(&self, text: &str, plan: &LogicalPlan, out: &Output) -> Option<String> {
        let uses_now = text.to_ascii_lowercase().contains("now(");
        if !(uses_now || self.filter.is_some()) || !found_nothing(out) {
            return None;
        }
        let Source::From { patterns, .. } = &plan.source else { return None };
        let (min, max) = self.span(patterns)?;
        let date = crate::types::text_form::format_date;
        let runs = format!("no rows: the data's {TIME_FIELD} runs from {} to {}", date(min), date(max));
        if let (Some(_), (from, to)) = (&self.filter, self.range()) {
            let parse = |t: &Option<String>| t.as_deref().and_then(crate::types::text_form::parse_date);
            let before = parse(&to).is_some_and(|t| min > t);
            let after = parse(&from).is_some_and(|f| max < f);
            let show = |b: Option<String>| b.unwrap_or_else(|| "-".into());
            return (before || after).then(|| format!("{runs}, outside the range {} to {}", show(from), show(to)));
        }
        let now = self.now_ms.unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        let day = 86_400_000;
        let pin = if max < now - day {
            max
        } else if min > now + day {
            min
        } else {
            return None;
        };
        // Only when the query, run as of then, finds something: else time is not the reason.
        let again = self.run_at(self.plan(text).ok()?, None, Some(pin)).ok()?;
        if found_nothing(&again) {
            return None;
        }
        Some(format!(
            "{runs}, and now() is {} ({} days away); with --now {} (.now in the REPL) it finds {} row(s)",
            date(now),
            (now - pin).abs() / day,
            date(pin),
            again.result.num_rows()
        ))
    }

    /// The min and max `@timestamp` of the indices `patterns` name, range filter aside.
    fn span(&self, patterns: &[String]) -> Option<(i64, i64)> {
        let quoted: Vec<String> = patterns.iter().map(|p| format!("\"{p}\"")).collect();
        let span = format!("FROM {} | STATS a = MIN({TIME_FIELD}), b = MAX({TIME_FIELD})", quoted.join(", "));
        let result = self.run(self.plan_filtered(&span, None).ok()?).ok()?.result;
        let row = crate::output::rows(&result).into_iter().next()?;
        match row.as_slice() {
            [Cell::One(Value::Date(min)), Cell::One(Value::Date(max))] => Some((*min, *max)),
            _ => None,
        }
    }
}

/// No rows, or a step that had rows and let none through (`| STATS COUNT(*)` then says 0).
/// The rows are counted by the last step: a result streamed to its writer holds none.
fn found_nothing(out: &Output) -> bool {
    let rows = out.result.counts.last().map_or(out.result.num_rows() as u64, |(_, rows_out)| *rows_out);
    out.stats.docs > 0
        && (rows == 0 || out.result.counts.iter().any(|(rows_in, rows_out)| *rows_in > 0 && *rows_out == 0))
}
