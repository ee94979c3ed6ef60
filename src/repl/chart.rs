//! Results as bars in the terminal: a two-column result of a date (or number) and a count,
//! such as `STATS hits = COUNT(*) BY t = BUCKET(@timestamp, 1 hour)`, draws one bar per row
//! in time order (`.chart off` shows the table); `.hist [INTERVAL]` draws the hits over time
//! of the last query's FROM and first WHEREs.

use super::layout::{cut, pad, width_of};
use crate::exec::QueryResult;
use crate::types::{Cell, EsType, Value};

/// One bar: its label's sort key, its label, its value.
type Bar = (f64, String, f64);

/// The bars of a result that charts: two columns, one a count (a number, never negative),
/// the other a date or a number (a bucket); `None` for any other result.
pub fn bars(result: &QueryResult) -> Option<(String, String, Vec<Bar>)> {
    let [a, b] = result.columns.as_slice() else { return None };
    let label_kind = |t: EsType| matches!(t, EsType::Date | EsType::DateNanos) || t.is_numeric();
    // STATS puts the aggregate first and the key after it; a key first is read as well.
    let (label, value) = if a.ty.is_numeric() && label_kind(b.ty) { (1, 0) } else { (0, 1) };
    let (lc, vc) = (&result.columns[label], &result.columns[value]);
    if !label_kind(lc.ty) || !vc.ty.is_numeric() {
        return None;
    }
    let mut out = Vec::new();
    for row in crate::output::rows(result) {
        let key = match &row[label] {
            Cell::One(Value::Date(ms)) => *ms as f64,
            Cell::One(Value::DateNanos(ns)) => *ns as f64,
            Cell::One(v) => number(v)?,
            _ => return None,
        };
        let n = match &row[value] {
            Cell::Null => 0.0,
            Cell::One(v) => number(v).filter(|n| *n >= 0.0)?,
            Cell::Many(_) => return None,
        };
        out.push((key, crate::output::display_cell(&row[label]), n));
    }
    out.sort_by(|x, y| x.0.total_cmp(&y.0));
    Some((lc.name.clone(), vc.name.clone(), out))
}

fn number(v: &Value<'_>) -> Option<f64> {
    match v {
        Value::Int(n) => Some(f64::from(*n)),
        Value::Long(n) => Some(*n as f64),
        Value::ULong(n) => Some(*n as f64),
        Value::Double(d) if d.is_finite() => Some(*d),
        _ => None,
    }
}

/// Eighths of a block, for the bar's last cell.
const PARTIAL: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// The bars drawn within `width` columns: label, rule, bar, value.
pub fn draw(label: &str, value: &str, bars: &[Bar], width: usize) -> String {
    let shown = |n: f64| if n.fract() == 0.0 { format!("{n:.0}") } else { format!("{n}") };
    let label_w = bars.iter().map(|b| width_of(&b.1)).chain([width_of(label)]).max().unwrap_or(0).min(width / 3);
    let value_w = bars.iter().map(|b| shown(b.2).len()).max().unwrap_or(1);
    let room = width.saturating_sub(label_w + 3 + value_w + 1).max(1);
    let max = bars.iter().map(|b| b.2).fold(0.0, f64::max);
    let mut out = format!("{} │ {}\n", pad(&cut(label, label_w), label_w, false), value);
    for (_, text, n) in bars {
        let eighths = if max > 0.0 { (n / max * room as f64 * 8.0).round() as usize } else { 0 };
        let bar = format!("{}{}", "█".repeat(eighths / 8), PARTIAL[eighths % 8]);
        out.push_str(&format!("{} │{bar} {}\n", pad(&cut(text, label_w), label_w, false), shown(*n)));
    }
    out
}

/// The query `.hist` runs: the FROM and the WHEREs right after it of `last`, hits counted
/// per `interval` of `@timestamp`; `None` when `last` has no FROM.
pub fn hist_query(last: &str, interval: &str) -> Option<String> {
    let query = crate::syntax::parse(last).ok()?;
    let text =
        |c: &crate::syntax::ast::Command| last.get(c.span.start as usize..c.span.end as usize).map(str::to_string);
    let mut commands = query.commands.iter();
    let from = commands.next().filter(|c| matches!(c.kind, crate::syntax::ast::CommandKind::From(_)))?;
    let mut parts = vec![text(from)?];
    for c in commands.take_while(|c| matches!(c.kind, crate::syntax::ast::CommandKind::Where(_))) {
        parts.push(text(c)?);
    }
    parts.push(format!("STATS hits = COUNT(*) BY @timestamp = BUCKET(@timestamp, {interval})"));
    Some(parts.join("\n| "))
}

/// Bars every `step_ms` from the first to the last: the buckets STATS left out (no hits)
/// drawn as empty, so that gaps show.
pub fn fill_gaps(bars: Vec<Bar>, step_ms: i64) -> Vec<Bar> {
    let (Some(first), Some(last)) = (bars.first().map(|b| b.0), bars.last().map(|b| b.0)) else { return bars };
    if step_ms <= 0 || (last - first) / step_ms as f64 > 10_000.0 {
        return bars;
    }
    let mut out = Vec::with_capacity(bars.len());
    let mut given = bars.into_iter().peekable();
    let mut at = first;
    while at <= last {
        match given.peek() {
            Some(b) if b.0 <= at => out.extend(given.next()),
            _ => out.push((at, crate::types::text_form::format_date(at as i64), 0.0)),
        }
        at += step_ms as f64;
    }
    out.extend(given);
    out
}

/// The milliseconds of an interval [`interval`] wrote.
pub fn interval_ms(interval: &str) -> Option<i64> {
    let (n, unit) = interval.split_once(' ')?;
    let n: i64 = n.parse().ok()?;
    let unit = match unit {
        "seconds" | "second" => 1_000,
        "minutes" | "minute" => 60_000,
        "hours" | "hour" => 3_600_000,
        "days" | "day" => 86_400_000,
        "weeks" | "week" => 604_800_000,
        _ => return None,
    };
    Some(n * unit)
}

/// An interval as ES|QL writes it: `1h` or `1 hour` give `1 hour`.
pub fn interval(text: &str) -> Option<String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = text.split_at(split);
    let n: u64 = n.parse().ok().filter(|n| *n > 0)?;
    let unit = match unit.trim().to_ascii_lowercase().as_str() {
        "s" | "sec" | "second" | "seconds" => "seconds",
        "m" | "min" | "minute" | "minutes" => "minutes",
        "h" | "hour" | "hours" => "hours",
        "d" | "day" | "days" => "days",
        "w" | "week" | "weeks" => "weeks",
        _ => return None,
    };
    Some(format!("{n} {unit}"))
}

/// A round interval giving about 40 buckets over `span_ms`.
pub fn auto_interval(span_ms: i64) -> String {
    const STEPS: &[(i64, &str)] = &[
        (1_000, "1 second"),
        (5_000, "5 seconds"),
        (10_000, "10 seconds"),
        (30_000, "30 seconds"),
        (60_000, "1 minute"),
        (300_000, "5 minutes"),
        (600_000, "10 minutes"),
        (1_800_000, "30 minutes"),
        (3_600_000, "1 hour"),
        (10_800_000, "3 hours"),
        (21_600_000, "6 hours"),
        (43_200_000, "12 hours"),
        (86_400_000, "1 day"),
        (604_800_000, "7 days"),
    ];
    let want = span_ms / 40;
    STEPS.iter().find(|(ms, _)| *ms >= want).map_or("30 days", |(_, t)| t).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        let bars = vec![(1.0, "a".to_string(), 10.0), (2.0, "b".to_string(), 5.0), (3.0, "c".to_string(), 0.0)];
        let drawn = draw("t", "hits", &bars, 30);
        // 30 columns: label 1, " │ " 3, a space and the value 3: 23 for the bar; half of it
        // ends in a half block.
        assert_eq!(drawn, "t │ hits\na │███████████████████████ 10\nb │███████████▌ 5\nc │ 0\n");
    }

    #[test]
    fn hist_keeps_the_from_and_its_first_wheres() {
        let q = "FROM logs-* | WHERE user.name == \"a\" | WHERE x > 1 | EVAL y = 1 | WHERE y > 0 | LIMIT 5";
        assert_eq!(
            hist_query(q, "1 hour").as_deref(),
            Some("FROM logs-*\n| WHERE user.name == \"a\"\n| WHERE x > 1\n| STATS hits = COUNT(*) BY @timestamp = BUCKET(@timestamp, 1 hour)")
        );
        assert_eq!(hist_query("ROW a = 1", "1 hour"), None);
        assert_eq!(interval("15m").as_deref(), Some("15 minutes"));
        assert_eq!(interval("1 hour").as_deref(), Some("1 hours"));
        assert_eq!(interval("x"), None);
        assert_eq!(auto_interval(86_400_000), "1 hour");
        assert_eq!(interval_ms("30 seconds"), Some(30_000));
        assert_eq!(interval_ms(&auto_interval(86_400_000)), Some(3_600_000));
    }

    #[test]
    fn gaps_are_empty_bars() {
        let bars = vec![(0.0, "a".to_string(), 1.0), (3000.0, "b".to_string(), 2.0)];
        let filled = fill_gaps(bars, 1000);
        let values: Vec<f64> = filled.iter().map(|b| b.2).collect();
        assert_eq!(values, [1.0, 0.0, 0.0, 2.0]);
    }
}
