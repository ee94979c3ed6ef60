//! TOP, FIRST and LAST keep values by order: TOP the limit best (repeats included) asc or
//! desc, optionally of another field; FIRST and LAST the value at the extreme sort key.

use esql::engine::Engine;
use esql::io::OnError;

fn one_row(query: &str) -> Vec<String> {
    let engine = Engine::open(std::path::Path::new("/nonexistent"), OnError::Fail);
    let out = engine.query(query).unwrap_or_else(|e| panic!("{}", e.render(query)));
    let rows = esql::output::rows(&out.result);
    rows[0].iter().map(|c| c.render().to_string()).collect()
}

#[test]
fn top_first_and_last_answer_by_order() {
    let q = r#"ROW v = [5, 1, 4, 1, 9], k = 1
        | MV_EXPAND v
        | EVAL name = CONCAT("n", TO_STRING(v))
        | STATS t = TOP(v, 3, "asc"), d = TOP(v, 2, "DESC"), o = TOP(v, 2, "desc", name),
                f = FIRST(name, v), l = LAST(name, v)"#;
    assert_eq!(one_row(q), ["[1, 1, 4]", "[9, 5]", "[n9, n5]", "n1", "n9"]);
}
