//! Coordinates as Elasticsearch's index encodes them (Lucene's `GeoEncodingUtils` and
//! `XYEncodingUtils`): a geo coordinate as a 32-bit step of its range, rounded down; a
//! cartesian one as a `float`. Where Elasticsearch computes from encoded values (extents,
//! centroids of indexed points), its answers carry this rounding.

const LAT_DECODE: f64 = 1.0 / (4294967296.0 / 180.0);
const LON_DECODE: f64 = 1.0 / (4294967296.0 / 360.0);

pub(super) fn encode_lat(y: f64) -> i32 {
    // The top of the range has no code of its own.
    let y = if y == 90.0 { next_down(y) } else { y };
    (y / LAT_DECODE).floor() as i32
}

pub(super) fn encode_lon(x: f64) -> i32 {
    let x = if x == 180.0 { next_down(x) } else { x };
    (x / LON_DECODE).floor() as i32
}

pub(super) fn decode_lat(code: i32) -> f64 {
    f64::from(code) * LAT_DECODE
}

pub(super) fn decode_lon(code: i32) -> f64 {
    f64::from(code) * LON_DECODE
}

/// The largest double below a positive one.
fn next_down(v: f64) -> f64 {
    f64::from_bits(v.to_bits() - 1)
}

/// A cartesian coordinate as a `float`, ordered as an integer (`floatToSortableInt`): -0.0
/// sorts below 0.0.
pub(super) fn encode_xy(v: f64) -> i32 {
    let bits = (v as f32).to_bits() as i32;
    bits ^ ((bits >> 31) & 0x7fff_ffff)
}

pub(super) fn decode_xy(code: i32) -> f64 {
    let bits = code ^ ((code >> 31) & 0x7fff_ffff);
    f64::from(f32::from_bits(bits as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_down_and_decode_to_themselves() {
        // Elasticsearch's ST_EXTENT_AGG example (airports of India) shows such corners.
        for v in [70.77995480038226, 91.5882289968431] {
            assert_eq!(decode_lon(encode_lon(v)), v);
        }
        assert_eq!(decode_lon(encode_lon(91.588229)), 91.5882289968431);
        assert_eq!(decode_lat(encode_lat(33.98309)), 33.98308999836445);
        assert_eq!(encode_lon(-1e-12), -1, "rounded down, not toward zero");
        assert_eq!(encode_lat(90.0), i32::MAX);
        assert_eq!(encode_lon(180.0), i32::MAX);
        assert_eq!(encode_lon(-180.0), i32::MIN);
        assert_eq!(decode_xy(encode_xy(0.1)), 0.10000000149011612);
        assert!(encode_xy(-0.0) < encode_xy(0.0) && encode_xy(-1.0) < encode_xy(-0.5));
    }
}
