//! ES|QL types and their Arrow representation.
//!
//! A column's [`EsType`] is the type of its elements: ES|QL keeps the type scalar even when a
//! row holds several values. Physically a column is a flat Arrow array, or a `ListArray` of the
//! same element type when some row is multi-valued (see [`column`]).

pub mod column;
pub mod source;
pub mod text_form;
pub mod value;
pub mod wkb;
pub mod wkt;
pub mod zone;

use arrow::datatypes::{DataType, TimeUnit};

pub use value::{Cell, Value};

/// The ES|QL data types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EsType {
    /// keyword, constant_keyword, wildcard
    Keyword,
    /// text, match_only_text
    Text,
    /// 16-byte address; IPv4 stored IPv4-mapped
    Ip,
    /// milliseconds since the epoch, UTC
    Date,
    /// nanoseconds since the epoch, UTC
    DateNanos,
    /// 64-bit integer
    Long,
    /// 32-bit integer (also short, byte)
    Integer,
    /// unsigned 64-bit integer
    UnsignedLong,
    /// 64-bit float (also float, half_float, scaled_float)
    Double,
    /// true / false
    Boolean,
    /// software version, ordered by version rules
    Version,
    /// the type of `null`
    Null,
    /// a mapped type ES|QL cannot read (or conflicting types across indices)
    Unsupported,
    /// `1 hour`: fixed milliseconds (literal only)
    TimeDuration,
    /// `1 day`: calendar period (literal only)
    DatePeriod,
    /// a point on the globe (longitude, latitude), held as its WKT text
    GeoPoint,
    /// a point in a plane, held as its WKT text
    CartesianPoint,
    /// any geometry on the globe, held as its WKT text
    GeoShape,
    /// any geometry in a plane, held as its WKT text
    CartesianShape,
    /// the `_source` metadata field: a document as JSON text
    Source,
    /// a geohash grid cell, held as its base-32 text
    GeoHash,
    /// a web-mercator tile, held as `zoom/x/y`
    GeoTile,
    /// an H3 cell, held as its hexadecimal index
    GeoHex,
}

impl EsType {
    /// The name Elasticsearch reports in responses.
    pub fn name(self) -> &'static str {
        use EsType::*;
        match self {
            Keyword => "keyword",
            Text => "text",
            Ip => "ip",
            Date => "date",
            DateNanos => "date_nanos",
            Long => "long",
            Integer => "integer",
            UnsignedLong => "unsigned_long",
            Double => "double",
            Boolean => "boolean",
            Version => "version",
            Null => "null",
            Unsupported => "unsupported",
            TimeDuration => "time_duration",
            DatePeriod => "date_period",
            GeoPoint => "geo_point",
            CartesianPoint => "cartesian_point",
            GeoShape => "geo_shape",
            CartesianShape => "cartesian_shape",
            Source => "_source",
            GeoHash => "geohash",
            GeoTile => "geotile",
            GeoHex => "geohex",
        }
    }

    /// The name Elasticsearch's messages give the type (its `typeName`: `datetime` for date).
    pub fn message_name(self) -> &'static str {
        match self {
            EsType::Date => "datetime",
            other => other.name(),
        }
    }

    /// The spatial types (values are WKT text).
    pub fn is_spatial(self) -> bool {
        matches!(self, EsType::GeoPoint | EsType::CartesianPoint | EsType::GeoShape | EsType::CartesianShape)
    }

    /// A type named in a cast (`::type`) or a csv-spec header, aliases included.
    pub fn from_name(name: &str) -> Option<EsType> {
        use EsType::*;
        Some(match name.to_ascii_lowercase().as_str() {
            "keyword" | "k" | "s" | "string" => Keyword,
            "text" | "txt" => Text,
            "ip" => Ip,
            "date" | "datetime" | "dt" => Date,
            "date_nanos" => DateNanos,
            "long" | "l" => Long,
            "integer" | "int" | "i" | "short" | "byte" => Integer,
            "unsigned_long" | "ul" => UnsignedLong,
            "double" | "d" | "float" | "half_float" | "scaled_float" => Double,
            "boolean" | "bool" => Boolean,
            "version" | "v" => Version,
            "null" | "n" => Null,
            "unsupported" => Unsupported,
            "time_duration" => TimeDuration,
            "date_period" => DatePeriod,
            "geo_point" => GeoPoint,
            "cartesian_point" => CartesianPoint,
            "geo_shape" => GeoShape,
            "cartesian_shape" => CartesianShape,
            _ => return None,
        })
    }

    /// The ES|QL type of an Elasticsearch mapping type.
    pub fn from_mapping(mapping_type: &str) -> EsType {
        use EsType::*;
        match mapping_type {
            "keyword" | "constant_keyword" | "wildcard" => Keyword,
            "text" | "match_only_text" | "semantic_text" => Text,
            "ip" => Ip,
            "date" => Date,
            "date_nanos" => DateNanos,
            "long" => Long,
            "integer" | "short" | "byte" => Integer,
            "unsigned_long" => UnsignedLong,
            "double" | "float" | "half_float" | "scaled_float" => Double,
            "boolean" => Boolean,
            "version" => Version,
            "geo_point" => GeoPoint,
            "point" => CartesianPoint,
            "geo_shape" => GeoShape,
            "shape" => CartesianShape,
            _ => Unsupported,
        }
    }

    /// The Arrow type of one element.
    pub fn arrow_type(self) -> DataType {
        use EsType::*;
        match self {
            Keyword | Text | Version | GeoPoint | CartesianPoint | GeoShape | CartesianShape => DataType::Utf8,
            Ip => DataType::FixedSizeBinary(16),
            Date => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            DateNanos => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            Long => DataType::Int64,
            Integer => DataType::Int32,
            UnsignedLong => DataType::UInt64,
            Double => DataType::Float64,
            Boolean => DataType::Boolean,
            Source | GeoHash | GeoTile | GeoHex => DataType::Utf8,
            Null | Unsupported | TimeDuration | DatePeriod => DataType::Null,
        }
    }

    /// The geo grid cells (values are their text).
    pub fn is_grid(self) -> bool {
        matches!(self, EsType::GeoHash | EsType::GeoTile | EsType::GeoHex)
    }

    /// integer, long, unsigned_long or double.
    pub fn is_numeric(self) -> bool {
        matches!(self, EsType::Integer | EsType::Long | EsType::UnsignedLong | EsType::Double)
    }

    /// Keyword for text, else itself: the type of a function's result over text.
    pub fn no_text(self) -> EsType {
        if self == EsType::Text {
            EsType::Keyword
        } else {
            self
        }
    }

    /// Keyword or text.
    pub fn is_string(self) -> bool {
        matches!(self, EsType::Keyword | EsType::Text)
    }

    /// date or date_nanos.
    pub fn is_date(self) -> bool {
        matches!(self, EsType::Date | EsType::DateNanos)
    }

    /// time_duration or date_period.
    pub fn is_span(self) -> bool {
        matches!(self, EsType::TimeDuration | EsType::DatePeriod)
    }
}

impl std::fmt::Display for EsType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A named, typed column of a table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ColumnDef {
    /// The column name (flat, dotted).
    pub name: String,
    /// The element type.
    pub ty: EsType,
}

impl ColumnDef {
    /// A column definition.
    pub fn new(name: impl Into<String>, ty: EsType) -> ColumnDef {
        ColumnDef { name: name.into(), ty }
    }
}
