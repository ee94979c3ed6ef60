use super::*;

fn run(make: fn(EsType, EsType) -> Box<dyn Accumulator>, ty: EsType, parts: &[&[&str]]) -> String {
    // Each part is one worker's rows, merged in order.
    let mut acc: Option<Box<dyn Accumulator>> = None;
    for rows in parts {
        let mut a = make(ty, ty);
        for wkt in *rows {
            a.add(&[Cell::One(Value::Str(wkt.to_string().into()))]);
        }
        match acc.as_mut() {
            Some(first) => first.merge(a),
            None => acc = Some(a),
        }
    }
    acc.map_or("none".into(), |a| a.finish().render().to_string())
}

#[test]
fn merged_states_answer_as_one() {
    let pts = ["POINT (1.0 1.0)", "POINT (2.0 3.0)", "POINT (-170.0 0.0)", "POINT (170.0 5.0)"];
    for (make, ty) in [(centroid as fn(_, _) -> _, GeoPoint), (extent, GeoPoint), (extent, CartesianPoint)] {
        let whole = run(make, ty, &[&pts]);
        assert_eq!(run(make, ty, &[&pts[..1], &pts[1..3], &pts[3..]]), whole);
        assert_eq!(run(make, ty, &[&[], &pts]), whole, "an empty worker changes nothing");
    }
    let shapes = ["LINESTRING (0.0 0.0, 2.0 0.0)", "POINT (9.0 9.0)", "LINESTRING (0.0 2.0, 0.0 4.0)"];
    let whole = run(centroid, GeoShape, &[&shapes]);
    assert_eq!(whole, "POINT (0.5 1.5)");
    assert_eq!(run(centroid, GeoShape, &[&shapes[1..2], &shapes[..1], &shapes[2..]]), whole);
}

#[test]
fn doc_values_read_points_as_encoded() {
    let p = ["POINT (-74.006 40.7128)"];
    assert_eq!(run(centroid, GeoPoint, &[&p]), "POINT (-74.006 40.7128)");
    assert_eq!(run(centroid_doc_values, GeoPoint, &[&p]), "POINT (-74.00600004941225 40.712799984030426)");
    assert_eq!(run(centroid_doc_values, CartesianPoint, &[&["POINT (0.1 0.5)"]]), "POINT (0.10000000149011612 0.5)");
    // Shapes have no encoded form here: as written.
    assert_eq!(run(centroid_doc_values, GeoShape, &[&p]), "POINT (-74.006 40.7128)");
}
