//! CHANGE_POINT at run time: the rows sorted by key, then the value series tested for one
//! change. What this matches of Elasticsearch's detector (the ML change point aggregation):
//! the same outputs (`spike`, `dip`, `step_change` with a p-value, on the row where the
//! change is; nothing marked when there is none or fewer than 22 values), found by simpler
//! tests: an outlier test (each value against the mean and deviation of the others) and a
//! mean-shift test at every split (Welch's t), each Bonferroni-corrected, at p < 0.01. Its
//! trend and distribution changes are not detected, and p-values differ from ES's.

use super::{batch, concat, ExecError};
use crate::plan::ChangePoint;
use crate::types::column::{ColumnBuilder, ColumnReader};
use crate::types::{Cell, ColumnDef, Value};
use arrow::array::{ArrayRef, RecordBatch, UInt32Array};
use std::borrow::Cow;

/// Fewer values than this are not tested (Elasticsearch's minimum bucket count).
const MIN_VALUES: usize = 22;
/// A step change leaves at least this many values on each side.
const MIN_SIDE: usize = 5;
/// The significance a change must reach.
const P_MAX: f64 = 0.01;

/// The rows of `batches` by key, the change point marked.
pub(super) fn run(
    step: &ChangePoint,
    input: &[ColumnDef],
    batches: &[RecordBatch],
    out: &[ColumnDef],
) -> Result<Vec<RecordBatch>, ExecError> {
    let Some(all) = concat(batches, input)? else { return Ok(Vec::new()) };
    let keys = ColumnReader::new(all.column(step.key).as_ref(), input[step.key].ty);
    let mut order: Vec<u32> = (0..all.num_rows() as u32).collect();
    let ty = input[step.key].ty;
    order.sort_by(|&a, &b| match (keys.cell(a as usize), keys.cell(b as usize)) {
        (Cell::One(x), Cell::One(y)) => x.compare(&y, ty),
        (Cell::One(_), _) => std::cmp::Ordering::Less,
        (_, Cell::One(_)) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    });
    let order = UInt32Array::from(order);
    let values = ColumnReader::new(all.column(step.value).as_ref(), input[step.value].ty);
    // The series: (row in sorted order, value) for single, non-null values.
    let series: Vec<(usize, f64)> = (0..order.len())
        .filter_map(|r| match values.cell(order.value(r) as usize) {
            Cell::One(v) => v.as_f64().filter(|x| x.is_finite()).map(|x| (r, x)),
            _ => None,
        })
        .collect();
    let found = detect(&series.iter().map(|(_, x)| *x).collect::<Vec<_>>());
    let (mut types, mut pvalues) =
        (ColumnBuilder::new(out[out.len() - 2].ty), ColumnBuilder::new(out[out.len() - 1].ty));
    let at = found.map(|(i, kind, p)| (series[i].0, kind, p));
    for r in 0..order.len() {
        match at {
            Some((row, kind, p)) if row == r => {
                types.push(&Cell::One(Value::Str(Cow::Borrowed(kind))));
                pvalues.push(&Cell::One(Value::Double(p)));
            }
            _ => {
                types.push_null();
                pvalues.push_null();
            }
        }
    }
    let mut cols: Vec<ArrayRef> = Vec::with_capacity(out.len());
    for &k in &step.keep {
        cols.push(arrow::compute::take(all.column(k).as_ref(), &order, None)?);
    }
    cols.push(types.finish());
    cols.push(pvalues.finish());
    Ok(vec![batch(out, cols, order.len())?])
}

/// The change point of `xs`, if any: its index, kind and p-value.
fn detect(xs: &[f64]) -> Option<(usize, &'static str, f64)> {
    let n = xs.len();
    if n < MIN_VALUES {
        return None;
    }
    let outlier = (0..n).map(|i| (i, outlier_p(xs, i))).min_by(|a, b| a.1 .1.total_cmp(&b.1 .1));
    let step = (MIN_SIDE..=n - MIN_SIDE).map(|k| (k, shift_p(xs, k))).min_by(|a, b| a.1.total_cmp(&b.1));
    let outlier = outlier.map(|(i, (z, p))| (i, if z > 0.0 { "spike" } else { "dip" }, (p * n as f64).min(1.0)));
    let step = step.map(|(k, p)| (k, "step_change", (p * n as f64).min(1.0)));
    [outlier, step].into_iter().flatten().filter(|(_, _, p)| *p < P_MAX).min_by(|a, b| a.2.total_cmp(&b.2))
}

/// Value `i` against the others: its z-score and two-sided p-value.
fn outlier_p(xs: &[f64], i: usize) -> (f64, f64) {
    let others: Vec<f64> = xs.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, x)| *x).collect();
    let (m, v) = mean_var(&others);
    let sd = v.sqrt();
    let z = if sd > 0.0 {
        (xs[i] - m) / sd
    } else if xs[i] == m {
        0.0
    } else {
        f64::INFINITY.copysign(xs[i] - m)
    };
    (z, 2.0 * normal_tail(z.abs()))
}

/// The means before and after split `k`: Welch's t, its two-sided p-value with the
/// Welch-Satterthwaite degrees of freedom (t read on the normal curve after Fisher's
/// correction, close enough at these sizes).
fn shift_p(xs: &[f64], k: usize) -> f64 {
    let (n1, n2) = (k as f64, (xs.len() - k) as f64);
    let ((m1, v1), (m2, v2)) = (mean_var(&xs[..k]), mean_var(&xs[k..]));
    let (a, b) = (v1 / n1, v2 / n2);
    let se = (a + b).sqrt();
    if se == 0.0 {
        return if m1 == m2 { 1.0 } else { 0.0 };
    }
    let t = ((m1 - m2) / se).abs();
    let df = (a + b).powi(2) / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0)).max(f64::MIN_POSITIVE);
    let z = t * (1.0 - 1.0 / (4.0 * df)) / (1.0 + t * t / (2.0 * df)).sqrt();
    2.0 * normal_tail(z)
}

fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let v = if xs.len() > 1 { xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    (m, v)
}

/// P(Z > z) for a standard normal Z (erfc by Numerical Recipes' Chebyshev fit).
fn normal_tail(z: f64) -> f64 {
    if !z.is_finite() {
        return 0.0;
    }
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let y = t
        * (-x * x - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    let erfc = if x >= 0.0 { y } else { 2.0 - y };
    erfc / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spike_a_dip_a_step_and_none() {
        let flat: Vec<f64> = (0..40).map(|i| 100.0 + (i % 5) as f64).collect();
        let mut spike = flat.clone();
        spike[17] = 1000.0;
        assert_eq!(detect(&spike).map(|(i, k, _)| (i, k)), Some((17, "spike")));
        let mut dip = flat.clone();
        dip[30] = -500.0;
        assert_eq!(detect(&dip).map(|(i, k, _)| (i, k)), Some((30, "dip")));
        let step: Vec<f64> = flat.iter().enumerate().map(|(i, x)| if i >= 25 { x + 50.0 } else { *x }).collect();
        assert_eq!(detect(&step).map(|(i, k, _)| (i, k)), Some((25, "step_change")));
        assert_eq!(detect(&flat), None);
        assert_eq!(detect(&spike[..21]), None, "too few values");
    }
}
