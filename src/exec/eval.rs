//! Expression evaluation over a batch, one row at a time, with Elasticsearch's null and
//! multi-value rules: single-valued functions turn a multi-value into null plus a warning,
//! conversions work element-wise, `case` evaluates only the branch it takes.

use super::warnings::Warnings;
use crate::functions::{operators, Ctx, Eval, EvalError, Kind};
use crate::plan::{PlanExpr, PlanKind};
use crate::types::column::{ColumnBuilder, ColumnReader};
use crate::types::{Cell, ColumnDef, EsType, Value};
use arrow::array::{ArrayRef, RecordBatch};

/// What evaluation of one batch reads from.
pub struct Rows<'a> {
    /// One reader per batch column.
    pub readers: Vec<ColumnReader<'a>>,
    /// `now()` in milliseconds.
    pub now_ms: i64,
}

impl<'a> Rows<'a> {
    /// Readers over `batch`, whose columns are described by `schema`.
    pub fn new(batch: &'a RecordBatch, schema: &[ColumnDef], now_ms: i64) -> Rows<'a> {
        Rows::over(batch.columns(), schema, now_ms)
    }

    /// Readers over `columns`, described by `schema`.
    pub fn over(columns: &'a [ArrayRef], schema: &[ColumnDef], now_ms: i64) -> Rows<'a> {
        // A field whose types differ between indices is decoded as text; expressions may
        // read it only inside a conversion function (the planner sees to that), and they
        // read that text. Output still shows such a column as null, as Elasticsearch does.
        let readers = columns
            .iter()
            .zip(schema)
            .map(|(c, d)| {
                let ty = if d.ty == EsType::Unsupported { EsType::Keyword } else { d.ty };
                ColumnReader::new(c.as_ref(), ty)
            })
            .collect();
        Rows { readers, now_ms }
    }

    /// Column `column`'s cell at `row` (null for a column the batch does not hold).
    pub fn cell(&self, column: usize, row: usize) -> Cell<'a> {
        self.readers.get(column).map_or(Cell::Null, |r| r.cell(row))
    }
}

/// Evaluates `e` for every row of the batch into a column.
pub fn eval_column(e: &PlanExpr, rows: &Rows<'_>, n: usize, w: &mut Warnings) -> ArrayRef {
    let mut b = ColumnBuilder::new(e.ty);
    for row in 0..n {
        b.push(&eval(e, rows, row, w));
    }
    b.finish()
}

/// Evaluates `e` at one row.
pub fn eval<'a>(e: &'a PlanExpr, rows: &Rows<'a>, row: usize, w: &mut Warnings) -> Cell<'a> {
    match &e.kind {
        PlanKind::Column(i) => rows.cell(*i, row),
        PlanKind::Literal(c) => c.borrowed(),
        PlanKind::Call { func, args, arg_types } => {
            let cells: Vec<Cell<'a>> = args.iter().map(|a| eval(a, rows, row, w)).collect();
            let ctx = Ctx { arg_types, ty: e.ty, now_ms: rows.now_ms };
            match func.kind {
                Kind::Scalar(f) => call(f, &ctx, cells, e, w),
                _ => Cell::Null,
            }
        }
        PlanKind::Case(args) => case(e, args, rows, row, w),
        // Both sides are always evaluated, as Elasticsearch's block evaluators do, so that
        // the right side's warnings do not depend on the left side's value.
        PlanKind::And(a, b) => match (boolean(a, rows, row, w), boolean(b, rows, row, w)) {
            (Some(false), _) | (_, Some(false)) => Cell::One(Value::Bool(false)),
            (Some(true), Some(true)) => Cell::One(Value::Bool(true)),
            _ => Cell::Null,
        },
        PlanKind::Or(a, b) => match (boolean(a, rows, row, w), boolean(b, rows, row, w)) {
            (Some(true), _) | (_, Some(true)) => Cell::One(Value::Bool(true)),
            (Some(false), Some(false)) => Cell::One(Value::Bool(false)),
            _ => Cell::Null,
        },
        PlanKind::Not(x) => boolean(x, rows, row, w).map_or(Cell::Null, |b| Cell::One(Value::Bool(!b))),
        PlanKind::IsNull(x, negated) => Cell::One(Value::Bool(eval(x, rows, row, w).is_null() != *negated)),
        PlanKind::In(x, list) => in_list(e, x, list, rows, row, w),
        PlanKind::Search(query, columns) => {
            let fields: Vec<(EsType, Cell<'_>)> = columns.iter().map(|c| (c.ty, eval(c, rows, row, w))).collect();
            Cell::One(Value::Bool(query.matches(&fields, rows.now_ms)))
        }
        PlanKind::Like(x, re) => match eval(x, rows, row, w) {
            Cell::One(Value::Str(s)) => Cell::One(Value::Bool(re.is_match(&s))),
            Cell::Many(_) => fail(e, w, EvalError::multi_value()),
            _ => Cell::Null,
        },
    }
}

fn fail<'a>(e: &PlanExpr, w: &mut Warnings, err: EvalError) -> Cell<'a> {
    w.add(&e.origin, &err);
    Cell::Null
}

/// A boolean operand: `None` is null (a multi-value counts as null, with a warning).
pub(super) fn boolean(e: &PlanExpr, rows: &Rows<'_>, row: usize, w: &mut Warnings) -> Option<bool> {
    match eval(e, rows, row, w) {
        Cell::One(Value::Bool(b)) => Some(b),
        Cell::Many(_) => {
            w.add(&e.origin, &EvalError::multi_value());
            None
        }
        _ => None,
    }
}

fn call<'a>(f: Eval, ctx: &Ctx<'_>, cells: Vec<Cell<'a>>, e: &PlanExpr, w: &mut Warnings) -> Cell<'a> {
    match f {
        Eval::Cells(f) => f(ctx, cells).unwrap_or_else(|err| fail(e, w, err)),
        Eval::Single(f) => {
            if cells.iter().any(Cell::is_null) {
                return Cell::Null;
            }
            if cells.iter().any(|c| matches!(c, Cell::Many(_))) {
                return fail(e, w, EvalError::multi_value());
            }
            let values: Vec<Value<'a>> =
                cells.into_iter().filter_map(|c| if let Cell::One(v) = c { Some(v) } else { None }).collect();
            match f(ctx, &values) {
                Ok(v) => v.map_or(Cell::Null, Cell::One),
                Err(err) => fail(e, w, err),
            }
        }
        Eval::Each(f) => {
            let mut it = cells.into_iter();
            let first = it.next().unwrap_or_default();
            let rest: Vec<Cell<'a>> = it.collect();
            if rest.iter().any(|c| matches!(c, Cell::Many(_))) {
                return fail(e, w, EvalError::multi_value());
            }
            let rest: Vec<Value<'a>> =
                rest.into_iter().filter_map(|c| if let Cell::One(v) = c { Some(v) } else { None }).collect();
            let mut out = Vec::new();
            for v in first.into_values() {
                match f(ctx, v, &rest) {
                    Ok(Some(x)) => out.push(x),
                    Ok(None) => {}
                    Err(err) => w.add(&e.origin, &err),
                }
            }
            Cell::from_values(out)
        }
    }
}

/// Lazy CASE: only the chosen branch is evaluated; a null condition falls through and a
/// multi-valued one counts as false with a warning.
fn case<'a>(e: &PlanExpr, args: &'a [PlanExpr], rows: &Rows<'a>, row: usize, w: &mut Warnings) -> Cell<'a> {
    let mut pairs = args.chunks_exact(2);
    for pair in pairs.by_ref() {
        match eval(&pair[0], rows, row, w) {
            Cell::One(Value::Bool(true)) => return eval(&pair[1], rows, row, w),
            Cell::Many(_) => w.add_as(&e.origin, &EvalError::multi_value(), "false"),
            _ => {}
        }
    }
    match pairs.remainder() {
        [default] => eval(default, rows, row, w),
        _ => Cell::Null,
    }
}

fn in_list<'a>(
    e: &PlanExpr,
    x: &'a PlanExpr,
    list: &'a [PlanExpr],
    rows: &Rows<'a>,
    row: usize,
    w: &mut Warnings,
) -> Cell<'a> {
    let v = match eval(x, rows, row, w) {
        Cell::Null => return Cell::Null,
        Cell::Many(_) => return fail(e, w, EvalError::multi_value()),
        Cell::One(v) => v,
    };
    let mut saw_null = false;
    for item in list {
        match eval(item, rows, row, w) {
            Cell::One(c) => {
                let types = [x.ty, item.ty];
                let ctx = Ctx { arg_types: &types, ty: EsType::Boolean, now_ms: rows.now_ms };
                if operators::compare(&ctx, &v, &c) == Some(std::cmp::Ordering::Equal) {
                    return Cell::One(Value::Bool(true));
                }
            }
            Cell::Null => saw_null = true,
            Cell::Many(_) => {
                w.add(&e.origin, &EvalError::multi_value());
            }
        }
    }
    if saw_null {
        Cell::Null
    } else {
        Cell::One(Value::Bool(false))
    }
}
