//! Every valid query of Elastic's rule corpus through the SQL translation, over data made
//! for it (`sql/corpus.rs`): which translate, and for each refusal the construct that
//! stopped it. The list is a golden file (`tests/golden/sql-corpus.txt`, `UPDATE=1` to
//! rewrite it), so a change of coverage shows in review. Spark runs the translated ones in
//! `tests/sql_spark.rs`.

mod common;
#[path = "sql/corpus.rs"]
mod corpus;

use esql::engine::Engine;
use esql::io::OnError;
use esql::sql::Dialect;
use std::path::Path;

/// What happened to one corpus query.
pub fn outcome(query: &str, dir: &Path, seed: u64) -> Result<String, String> {
    corpus::build(query, dir, seed).map_err(|e| format!("no data: {e}"))?;
    let mut engine = Engine::open(&dir.join("pq"), OnError::Fail);
    engine.now_ms = Some(corpus::NOW_MS);
    let plan = engine.plan(query).map_err(|e| format!("no data: {}", e.render(query).lines().next().unwrap_or("")))?;
    engine.translate_plan(&plan, Dialect::Spark, None).map_err(|r| format!("refused: {}", r.construct))
}

#[test]
fn the_corpus_translation_list_is_current() {
    let Some(shared) = common::shared_dir() else { return };
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sql-corpus");
    let _ = std::fs::remove_dir_all(&work);
    let mut lines = Vec::new();
    let (mut ok, mut refused) = (0, 0);
    for (i, q) in common::rule_corpus(&shared).iter().filter(|q| q.note.is_none()).enumerate() {
        let line = match outcome(&q.query, &work.join(format!("q{i:03}")), i as u64) {
            Ok(_) => {
                ok += 1;
                "translated".to_string()
            }
            Err(e) => {
                refused += usize::from(e.starts_with("refused"));
                e
            }
        };
        lines.push(format!("{}: {line}", q.path));
    }
    let text = format!("# {ok} translated, {refused} refused\n{}\n", lines.join("\n"));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/sql-corpus.txt");
    if std::env::var("UPDATE").is_ok_and(|v| v == "1") {
        std::fs::write(&golden, &text).expect("write golden");
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        text == want,
        "the corpus translation changed (UPDATE=1 rewrites {}):\n{}",
        golden.display(),
        first_diff(&want, &text)
    );
}

fn first_diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let diffs: Vec<String> = (0..w.len().max(g.len()))
        .filter(|&i| w.get(i) != g.get(i))
        .take(10)
        .map(|i| format!("- {}\n+ {}", w.get(i).unwrap_or(&""), g.get(i).unwrap_or(&"")))
        .collect();
    diffs.join("\n")
}
