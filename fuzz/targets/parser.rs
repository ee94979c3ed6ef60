//! Fuzz target: any bytes as a query. Parsing must not panic; an error must render with
//! its caret; what parses must print and parse back to the same tree, and `esql fmt` must
//! lay it out (same tree, same comments: `format` checks both) the same way twice.

/// One input.
pub fn run(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else { return };
    match esql::syntax::parse(src) {
        Ok(ast) => {
            for printed in [format!("{ast}"), format!("{ast:#}")] {
                let again =
                    esql::syntax::parse(&printed).unwrap_or_else(|e| panic!("{printed:?} no longer parses: {e:?}"));
                assert!(again == ast, "the round trip of {src:?} changed the tree");
            }
            let opts = esql::authoring::fmt::Options::default();
            let once = esql::authoring::fmt::format(src, &opts).unwrap_or_else(|e| panic!("fmt of {src:?}: {e:?}"));
            let twice = esql::authoring::fmt::format(&once, &opts).unwrap_or_else(|e| panic!("fmt of {once:?}: {e:?}"));
            assert!(once == twice, "fmt of {src:?} is not idempotent:\n{once}\n{twice}");
        }
        Err(errors) => {
            for e in errors {
                let d = esql::diagnostic::Diagnostic::from(e);
                let _ = d.render(src);
            }
        }
    }
}
