//! Every query of Elasticsearch's csv-spec corpus parses and round-trips, apart from the
//! listed features we decided not to support; and `esql fmt` lays each one out (every
//! command of the language is there: FORK, ENRICH, LOOKUP JOIN, CHANGE_POINT ...) the same
//! way twice, with the same tree and comments (`format` checks both).

mod common;

/// Features used by the csv-spec corpus that we do not parse, with the reason. A query
/// counts as "unsupported" only when its text contains one of these markers; it must then
/// still fail to parse (so a marker that stops applying is noticed).
const UNSUPPORTED: &[(&str, &str)] = &[];

#[test]
fn every_spec_query_parses_and_round_trips() {
    let Some(shared) = common::shared_dir() else { return };
    let mut files: Vec<_> = ["conformance/spec", "conformance/spec-2"]
        .iter()
        .flat_map(|d| std::fs::read_dir(shared.join(d)).expect("spec dir").flatten().map(|e| e.path()))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files.iter().filter(|p| p.extension().is_some_and(|e| e == "csv-spec")) {
        let text = std::fs::read_to_string(file).expect("read spec");
        for t in esql::conformance::read_spec(&text).iter().filter(|t| !t.ignored) {
            count += 1;
            let name = format!("{}:{} {}", file.file_name().unwrap_or_default().to_string_lossy(), t.line, t.name);
            let marker = UNSUPPORTED.iter().find(|(m, _)| t.query.contains(m));
            match (common::round_trip(&t.query), marker) {
                (Ok(()), None) => failures.extend(formatted(&t.query).err().map(|e| format!("{name}: fmt: {e}"))),
                (Err(e), None) => failures.push(format!("{name}: {e}\n{}", t.query)),
                (Ok(()), Some((m, _))) => failures.push(format!("{name}: parses although listed unsupported ({m})")),
                (Err(_), Some(_)) => {}
            }
        }
    }
    assert!(count > 1500, "only {count} tests read");
    assert!(failures.is_empty(), "{} of {count} failed:\n{}", failures.len(), failures.join("\n\n"));
}

/// The query formatted at 80 columns, and formatted again to the same text.
fn formatted(q: &str) -> Result<(), String> {
    let opts = esql::authoring::fmt::Options::default();
    let once = esql::authoring::fmt::format(q, &opts).map_err(|e| format!("{e:?}"))?;
    let twice = esql::authoring::fmt::format(&once, &opts).map_err(|e| format!("{e:?}"))?;
    if once == twice {
        Ok(())
    } else {
        Err(format!("not idempotent:\n{once}\n{twice}"))
    }
}
