//! Elasticsearch's `SpatialDocValuesExtraction`: a spatial aggregate over a point field
//! computed where the documents are (no LIMIT, MV_EXPAND or computed value between the
//! source and the STATS) reads the field's doc values, the coordinates as the index encodes
//! them, rather than the document source. ST_CENTROID_AGG then averages quantized
//! coordinates: its last digits differ from the mean of the values as written, and this
//! engine gives the former there, as Elasticsearch does.

use super::filters::{pass, Pass};
use super::{Aggregate, LogicalPlan, Source, Stage, Step};
use crate::functions::ColumnKernel;
use crate::types::EsType;

/// Gives each aggregate with a doc-values form whose argument is such a field that form, in
/// a STATS and in the STATS of an INLINE STATS (which Elasticsearch runs as a query of its
/// own over the same source).
pub fn mark(plan: &mut LogicalPlan) {
    let Source::From { columns, .. } = &plan.source else { return };
    let point = |c: usize| columns.get(c).is_some_and(|d| matches!(d.ty, EsType::GeoPoint | EsType::CartesianPoint));
    for j in 0..plan.stages.len() {
        let (before, rest) = plan.stages.split_at_mut(j);
        match &mut rest[0].step {
            Step::Aggregate(agg) => mark_aggregate(agg, &[before], &point),
            Step::InlineStats(inline) => {
                for k in 0..inline.stats.len() {
                    let (inner, rest) = inline.stats.split_at_mut(k);
                    if let Step::Aggregate(agg) = &mut rest[0].step {
                        mark_aggregate(agg, &[inner, before], &point);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `chain`: the stages before the aggregate, nearest first (an INLINE STATS's own, then the
/// query's).
fn mark_aggregate(agg: &mut Aggregate, chain: &[&[Stage]], point: &dyn Fn(usize) -> bool) {
    // A field that is also a key goes back to the coordinator: Elasticsearch reads it from
    // source then.
    let keys: Vec<usize> = agg.groups.iter().filter_map(|g| source_column(chain, g.read_column()?)).collect();
    for call in &mut agg.aggs {
        let Some(ColumnKernel::DocValues(read)) = call.func.column else { continue };
        let field = call.args.first().and_then(|a| source_column(chain, a.read_column()?));
        if field.is_some_and(|c| point(c) && !keys.contains(&c)) {
            call.make = read.0;
        }
    }
}

/// The source column that column `col` of the last stage of `chain` is, unchanged: through
/// WHERE, SORT, KEEP/DROP/RENAME and plain aliases; not past a LIMIT (the rest of the
/// query then runs on the coordinator) or anything that computes or multiplies rows.
fn source_column(chain: &[&[Stage]], mut col: usize) -> Option<usize> {
    for stage in chain.iter().flat_map(|stages| stages.iter().rev()) {
        col = match &stage.step {
            Step::Where(_) => col,
            step => match pass(step)? {
                Pass::Same => col,
                Pass::Through(map) => map.get(col).copied().flatten()?,
            },
        };
    }
    Some(col)
}
