//! Columns as Arrow arrays: a flat array of the element type, or a `ListArray` of it when
//! some row holds several values. [`ColumnReader`] reads cells; [`ColumnBuilder`] builds
//! the cheapest physical form from cells.

use super::{Cell, EsType, Value};
use arrow::array::{
    Array, ArrayRef, BooleanArray, BooleanBuilder, FixedSizeBinaryArray, FixedSizeBinaryBuilder, Float64Array,
    Float64Builder, Int32Array, Int32Builder, Int64Array, Int64Builder, ListArray, NullArray, StringArray,
    StringBuilder, TimestampMillisecondArray, TimestampMillisecondBuilder, TimestampNanosecondArray,
    TimestampNanosecondBuilder, UInt32Array, UInt64Array, UInt64Builder,
};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::datatypes::Field;
use std::borrow::Cow;
use std::sync::Arc;

/// A typed view of an element array.
enum Typed<'a> {
    Null,
    Bool(&'a BooleanArray),
    Int(&'a Int32Array),
    Long(&'a Int64Array),
    ULong(&'a UInt64Array),
    Double(&'a Float64Array),
    Str(&'a StringArray),
    Ip(&'a FixedSizeBinaryArray),
    Date(&'a TimestampMillisecondArray),
    Nanos(&'a TimestampNanosecondArray),
}

impl<'a> Typed<'a> {
    fn of(array: &'a dyn Array, ty: EsType) -> Typed<'a> {
        let any = array.as_any();
        let t = match ty {
            EsType::Boolean => any.downcast_ref().map(Typed::Bool),
            EsType::Integer => any.downcast_ref().map(Typed::Int),
            EsType::Long => any.downcast_ref().map(Typed::Long),
            EsType::UnsignedLong => any.downcast_ref().map(Typed::ULong),
            EsType::Double => any.downcast_ref().map(Typed::Double),
            EsType::Keyword | EsType::Text | EsType::Version | EsType::Source => any.downcast_ref().map(Typed::Str),
            t if t.is_spatial() || t.is_grid() => any.downcast_ref().map(Typed::Str),
            EsType::Ip => any.downcast_ref().map(Typed::Ip),
            EsType::Date => any.downcast_ref().map(Typed::Date),
            EsType::DateNanos => any.downcast_ref().map(Typed::Nanos),
            _ => None,
        };
        t.unwrap_or(Typed::Null)
    }

    fn value(&self, i: usize) -> Option<Value<'a>> {
        Some(match self {
            Typed::Null => return None,
            Typed::Bool(a) => Value::Bool(a.is_valid(i).then(|| a.value(i))?),
            Typed::Int(a) => Value::Int(a.is_valid(i).then(|| a.value(i))?),
            Typed::Long(a) => Value::Long(a.is_valid(i).then(|| a.value(i))?),
            Typed::ULong(a) => Value::ULong(a.is_valid(i).then(|| a.value(i))?),
            Typed::Double(a) => Value::Double(a.is_valid(i).then(|| a.value(i))?),
            Typed::Str(a) => Value::Str(Cow::Borrowed(a.is_valid(i).then(|| a.value(i))?)),
            Typed::Ip(a) => Value::Ip(a.is_valid(i).then(|| a.value(i))?.try_into().ok()?),
            Typed::Date(a) => Value::Date(a.is_valid(i).then(|| a.value(i))?),
            Typed::Nanos(a) => Value::DateNanos(a.is_valid(i).then(|| a.value(i))?),
        })
    }
}

/// Reads the cells of one column of a batch.
pub struct ColumnReader<'a> {
    values: Typed<'a>,
    offsets: Option<&'a [i32]>,
    nulls: Option<&'a NullBuffer>,
    len: usize,
}

impl<'a> ColumnReader<'a> {
    /// A reader over `array`, whose elements have type `ty`.
    pub fn new(array: &'a dyn Array, ty: EsType) -> ColumnReader<'a> {
        let len = array.len();
        match array.as_any().downcast_ref::<ListArray>() {
            Some(list) => ColumnReader {
                values: Typed::of(list.values().as_ref(), ty),
                offsets: Some(list.value_offsets()),
                nulls: list.nulls(),
                len,
            },
            None => ColumnReader { values: Typed::of(array, ty), offsets: None, nulls: None, len },
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The positions of row `row`'s values among the elements (none for a null row); an
    /// element there may still be null. With [`Self::int`] and [`Self::is_value`] it reads a
    /// row without making a [`Cell`] (STATS' flat aggregates).
    pub fn elements(&self, row: usize) -> std::ops::Range<usize> {
        match self.offsets {
            None => row..row + 1,
            Some(_) if self.nulls.is_some_and(|n| n.is_null(row)) => 0..0,
            Some(o) => o[row] as usize..o[row + 1] as usize,
        }
    }

    /// Element `i` as an integer when the column holds integers, longs or dates (of either
    /// precision) and the element is not null.
    pub fn int(&self, i: usize) -> Option<i64> {
        match self.values {
            Typed::Int(a) => a.is_valid(i).then(|| i64::from(a.value(i))),
            Typed::Long(a) => a.is_valid(i).then(|| a.value(i)),
            Typed::Date(a) => a.is_valid(i).then(|| a.value(i)),
            Typed::Nanos(a) => a.is_valid(i).then(|| a.value(i)),
            _ => None,
        }
    }

    /// Whether element `i` holds a value (what [`Self::cell`] would count).
    pub fn is_value(&self, i: usize) -> bool {
        self.values.value(i).is_some()
    }

    /// The cell at `row`.
    pub fn cell(&self, row: usize) -> Cell<'a> {
        let Some(offsets) = self.offsets else {
            return self.values.value(row).map_or(Cell::Null, Cell::One);
        };
        if self.nulls.is_some_and(|n| n.is_null(row)) {
            return Cell::Null;
        }
        let (start, end) = (offsets[row] as usize, offsets[row + 1] as usize);
        if end == start + 1 {
            return self.values.value(start).map_or(Cell::Null, Cell::One);
        }
        Cell::from_values((start..end).filter_map(|i| self.values.value(i)).collect())
    }
}

/// Values a column could not hold because they were of another type than the column's (a
/// planner bug, answered as a null): counted so that a release build's tests see them too.
static MISTYPED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many values of the wrong type columns have met since the process started.
pub fn mistyped_values() -> u64 {
    MISTYPED.load(std::sync::atomic::Ordering::Relaxed)
}

/// The element builder for one type.
enum ValueBuilder {
    Null(usize),
    Bool(BooleanBuilder),
    Int(Int32Builder),
    Long(Int64Builder),
    ULong(UInt64Builder),
    Double(Float64Builder),
    Str(StringBuilder),
    Ip(FixedSizeBinaryBuilder),
    Date(TimestampMillisecondBuilder),
    Nanos(TimestampNanosecondBuilder),
}

impl ValueBuilder {
    fn new(ty: EsType) -> ValueBuilder {
        match ty {
            EsType::Boolean => ValueBuilder::Bool(BooleanBuilder::new()),
            EsType::Integer => ValueBuilder::Int(Int32Builder::new()),
            EsType::Long => ValueBuilder::Long(Int64Builder::new()),
            EsType::UnsignedLong => ValueBuilder::ULong(UInt64Builder::new()),
            EsType::Double => ValueBuilder::Double(Float64Builder::new()),
            EsType::Keyword | EsType::Text | EsType::Version | EsType::Source => {
                ValueBuilder::Str(StringBuilder::new())
            }
            t if t.is_spatial() || t.is_grid() => ValueBuilder::Str(StringBuilder::new()),
            EsType::Ip => ValueBuilder::Ip(FixedSizeBinaryBuilder::new(16)),
            EsType::Date => ValueBuilder::Date(TimestampMillisecondBuilder::new().with_timezone("UTC")),
            EsType::DateNanos => ValueBuilder::Nanos(TimestampNanosecondBuilder::new().with_timezone("UTC")),
            _ => ValueBuilder::Null(0),
        }
    }

    /// Appends `v`; a value of the wrong kind (a planner bug) is appended as null.
    fn push(&mut self, v: &Value<'_>) {
        match (self, v) {
            (ValueBuilder::Bool(b), Value::Bool(x)) => b.append_value(*x),
            (ValueBuilder::Int(b), Value::Int(x)) => b.append_value(*x),
            (ValueBuilder::Long(b), v) if v.as_i64().is_some() => b.append_option(v.as_i64()),
            (ValueBuilder::ULong(b), Value::ULong(x)) => b.append_value(*x),
            (ValueBuilder::Double(b), v) => b.append_option(v.as_f64()),
            (ValueBuilder::Str(b), Value::Str(s)) => b.append_value(s),
            (ValueBuilder::Ip(b), Value::Ip(ip)) => {
                if b.append_value(ip).is_err() {
                    b.append_null();
                }
            }
            (ValueBuilder::Date(b), Value::Date(x)) => b.append_value(*x),
            (ValueBuilder::Nanos(b), Value::DateNanos(x)) => b.append_value(*x),
            (b, _) => {
                if !matches!(b, ValueBuilder::Null(_)) {
                    MISTYPED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                debug_assert!(matches!(b, ValueBuilder::Null(_)), "value of the wrong type for its column");
                b.push_null();
            }
        }
    }

    fn push_null(&mut self) {
        match self {
            ValueBuilder::Null(n) => *n += 1,
            ValueBuilder::Bool(b) => b.append_null(),
            ValueBuilder::Int(b) => b.append_null(),
            ValueBuilder::Long(b) => b.append_null(),
            ValueBuilder::ULong(b) => b.append_null(),
            ValueBuilder::Double(b) => b.append_null(),
            ValueBuilder::Str(b) => b.append_null(),
            ValueBuilder::Ip(b) => b.append_null(),
            ValueBuilder::Date(b) => b.append_null(),
            ValueBuilder::Nanos(b) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            ValueBuilder::Null(n) => Arc::new(NullArray::new(*n)),
            ValueBuilder::Bool(b) => Arc::new(b.finish()),
            ValueBuilder::Int(b) => Arc::new(b.finish()),
            ValueBuilder::Long(b) => Arc::new(b.finish()),
            ValueBuilder::ULong(b) => Arc::new(b.finish()),
            ValueBuilder::Double(b) => Arc::new(b.finish()),
            ValueBuilder::Str(b) => Arc::new(b.finish()),
            ValueBuilder::Ip(b) => Arc::new(b.finish()),
            ValueBuilder::Date(b) => Arc::new(b.finish()),
            ValueBuilder::Nanos(b) => Arc::new(b.finish()),
        }
    }
}

/// Builds a column from cells: flat when every row has at most one value, else a list.
pub struct ColumnBuilder {
    ty: EsType,
    values: ValueBuilder,
    /// Start of each row's values in `values`, plus the end.
    offsets: Vec<i32>,
    valid: Vec<bool>,
    multi: bool,
    has_null: bool,
}

impl ColumnBuilder {
    /// An empty builder for elements of type `ty`.
    pub fn new(ty: EsType) -> ColumnBuilder {
        ColumnBuilder {
            ty,
            values: ValueBuilder::new(ty),
            offsets: vec![0],
            valid: Vec::new(),
            multi: false,
            has_null: false,
        }
    }

    /// Appends one row.
    pub fn push(&mut self, cell: &Cell<'_>) {
        self.push_values(cell.values());
    }

    /// Appends a row of these values (none: null; two or more: a multi-value).
    pub fn push_values(&mut self, vals: &[Value<'_>]) {
        for v in vals {
            self.values.push(v);
        }
        self.multi |= vals.len() > 1;
        self.has_null |= vals.is_empty();
        self.valid.push(!vals.is_empty());
        let last = self.offsets.last().copied().unwrap_or(0);
        self.offsets.push(last + vals.len() as i32);
    }

    /// Appends a null row.
    pub fn push_null(&mut self) {
        self.push(&Cell::Null);
    }

    /// The finished column.
    pub fn finish(mut self) -> ArrayRef {
        let rows = self.valid.len();
        let child = self.values.finish();
        if self.ty.arrow_type() == arrow::datatypes::DataType::Null {
            return Arc::new(NullArray::new(rows));
        }
        if self.multi {
            let field = Arc::new(Field::new("item", self.ty.arrow_type(), true));
            let offsets = OffsetBuffer::new(self.offsets.into());
            let nulls = self.has_null.then(|| NullBuffer::from(self.valid));
            return match ListArray::try_new(field, offsets, child, nulls) {
                Ok(list) => Arc::new(list),
                Err(_) => Arc::new(NullArray::new(rows)),
            };
        }
        if !self.has_null {
            return child;
        }
        // Null rows have no element: spread the elements over the rows.
        let mut next = 0u32;
        let indices: UInt32Array = self
            .valid
            .iter()
            .map(|&v| {
                v.then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        arrow::compute::take(child.as_ref(), &indices, None).unwrap_or_else(|_| Arc::new(NullArray::new(rows)))
    }
}

/// A flat array as a list array of one value per row.
pub fn as_list(a: ArrayRef) -> Result<ArrayRef, arrow::error::ArrowError> {
    if matches!(a.data_type(), arrow::datatypes::DataType::List(_)) {
        return Ok(a);
    }
    if a.data_type() == &arrow::datatypes::DataType::Null {
        let ty = arrow::datatypes::DataType::List(Arc::new(Field::new("item", arrow::datatypes::DataType::Null, true)));
        return Ok(arrow::array::new_null_array(&ty, a.len()));
    }
    let field = Arc::new(Field::new("item", a.data_type().clone(), true));
    let offsets = OffsetBuffer::from_lengths(std::iter::repeat_n(1, a.len()));
    let nulls = a.logical_nulls();
    Ok(Arc::new(ListArray::try_new(field, offsets, a, nulls)?))
}

/// Builds a column from cells.
pub fn build_column<'a>(ty: EsType, cells: impl IntoIterator<Item = Cell<'a>>) -> ArrayRef {
    let mut b = ColumnBuilder::new(ty);
    for c in cells {
        b.push(&c);
    }
    b.finish()
}

/// A record batch of `schema`'s names; physical types are taken from the arrays (a column
/// may be flat in one batch and a list in another).
pub fn record_batch(
    schema: &[super::ColumnDef],
    cols: Vec<ArrayRef>,
    rows: usize,
) -> Result<arrow::array::RecordBatch, arrow::error::ArrowError> {
    let fields: Vec<Field> =
        schema.iter().zip(&cols).map(|(c, a)| Field::new(&c.name, a.data_type().clone(), true)).collect();
    let opts = arrow::array::RecordBatchOptions::new().with_row_count(Some(rows));
    arrow::array::RecordBatch::try_new_with_options(Arc::new(arrow::datatypes::Schema::new(fields)), cols, &opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip_through_flat_and_list_columns() {
        let s = |x: &'static str| Value::Str(Cow::Borrowed(x));
        let flat = vec![Cell::One(s("a")), Cell::Null, Cell::One(s("b"))];
        let arr = build_column(EsType::Keyword, flat.clone());
        assert!(arr.as_any().downcast_ref::<StringArray>().is_some());
        let r = ColumnReader::new(arr.as_ref(), EsType::Keyword);
        assert_eq!((0..3).map(|i| r.cell(i)).collect::<Vec<_>>(), flat);

        let multi = vec![Cell::Many(vec![s("a"), s("b")]), Cell::Null, Cell::One(s("c"))];
        let arr = build_column(EsType::Keyword, multi.clone());
        assert!(arr.as_any().downcast_ref::<ListArray>().is_some());
        let r = ColumnReader::new(arr.as_ref(), EsType::Keyword);
        assert_eq!((0..3).map(|i| r.cell(i)).collect::<Vec<_>>(), multi);
    }
}
